//! The Hijri date line of Arabic letters, from the tabular (arithmetic) Islamic calendar: 30-year
//! cycles with 11 leap years, epoch 16 July 622. It can differ by a day or two from the date
//! the Ministry of Habous announces after the moon sighting, so the line is optional (a setting)
//! and an official checks it before signing.

const MONTHS: [&str; 12] = [
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان", "رمضان", "شوال",
    "ذو القعدة", "ذو الحجة",
];

/// (year, month 1-12, day) in the tabular Islamic calendar for a Gregorian date.
pub(crate) fn from_gregorian(y: i64, m: i64, d: i64) -> (i64, i64, i64) {
    // Julian day number of the Gregorian date.
    let a = (14 - m) / 12;
    let yy = y + 4800 - a;
    let mm = m + 12 * a - 3;
    let jd = d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045;
    // Kuwaiti algorithm (civil epoch).
    let l = jd - 1948440 + 10632;
    let n = (l - 1) / 10631;
    let l = l - 10631 * n + 354;
    let j = ((10985 - l) / 5316) * ((50 * l) / 17719) + (l / 5670) * ((43 * l) / 15238);
    let l = l - ((30 - j) / 15) * ((17719 * j) / 50) - (j / 16) * ((15238 * j) / 43) + 29;
    let month = (24 * l) / 709;
    let day = l - (709 * month) / 24;
    let year = 30 * n + j - 30;
    (year, month, day)
}

/// "3 جمادى الآخرة 1448 هـ" for an ISO date (`YYYY-MM-DD`); None if it is not one.
pub fn hijri_date(iso: &str) -> Option<String> {
    let mut it = iso.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || y < 700 {
        return None;
    }
    let (hy, hm, hd) = from_gregorian(y, m, d);
    Some(format!("{hd} {} {hy} هـ", MONTHS[(hm - 1).clamp(0, 11) as usize]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabular_calendar() {
        // 1 Muharram 1446: 7 July 2024 observed, 8 July in the tabular calendar (a day apart,
        // as the module says).
        assert_eq!(from_gregorian(2024, 7, 8), (1446, 1, 1));
        assert_eq!(from_gregorian(2024, 7, 7), (1445, 12, 30));
        // 1 Ramadan 1445: 11 March 2024 (both).
        assert_eq!(from_gregorian(2024, 3, 11), (1445, 9, 1));
        assert_eq!(hijri_date("2026-11-23").as_deref(), Some("12 جمادى الآخرة 1448 هـ"));
        assert_eq!(hijri_date("demain"), None);
    }
}
