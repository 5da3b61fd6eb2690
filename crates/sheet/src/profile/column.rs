//! One column's accumulator while the rows stream by: counts by kind, an exactly rounded sum
//! (Shewchuk's algorithm, the one behind Python's `math.fsum`), minimum and maximum with their
//! rows, distinct values up to a cap with their counts, and the numbers themselves (one f64 per
//! data row: medians are exact, and ratios, differences and group totals are computed after the
//! pass without reading the file twice).

use foldhash::HashMap;

use crate::cell::{Cell, NumFormat};
use crate::value::{parse_text, Parsed};

/// The exactly rounded sum of a stream of floats (Shewchuk 1997; Python's `math.fsum`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Fsum {
    partials: Vec<f64>,
}

impl Fsum {
    /// The exact `self - other`, correctly rounded (partials are exact, so is their sum).
    pub fn minus(&self, other: &Fsum) -> f64 {
        let mut d = self.clone();
        for &p in &other.partials {
            d.add(-p);
        }
        d.value()
    }

    pub fn add(&mut self, mut x: f64) {
        if !x.is_finite() {
            return;
        }
        let mut i = 0;
        for j in 0..self.partials.len() {
            let mut y = self.partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        self.partials.truncate(i);
        self.partials.push(x);
    }

    /// The correctly rounded value of the sum so far.
    pub fn value(&self) -> f64 {
        let p = &self.partials;
        let Some(mut n) = p.len().checked_sub(1) else { return 0.0 };
        let mut hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            n -= 1;
            let x = hi;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // Round half-even across the remaining partials, as fsum does.
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
        hi
    }
}

/// A non-empty cell once read: text cells holding a number or a date are that number or date.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Val<'a> {
    /// The value, its format, and whether a currency was written in the text.
    Number(f64, NumFormat, bool),
    Date(f64),
    Text(&'a str),
    Bool(bool),
    Error(crate::cell::CellError),
    NoValue,
}

/// Reads a cell once; `None` when it is blank.
pub(crate) fn classify<'a>(cell: &Cell<'a>) -> Option<Val<'a>> {
    Some(match *cell {
        Cell::Empty => return None,
        Cell::Number(v, f) => Val::Number(v, f, false),
        Cell::Date(d) => Val::Date(d),
        Cell::Text(t) => {
            let b = t.as_bytes();
            let clean = |c: Option<&u8>| c.is_some_and(|&c| c < 0x80 && !c.is_ascii_whitespace());
            let t = if clean(b.first()) && clean(b.last()) { t } else { t.trim() };
            if t.is_empty() {
                return None;
            }
            match parse_text(t) {
                Parsed::Number(v, f) => Val::Number(v, f, f == NumFormat::Currency),
                Parsed::Date(d) => Val::Date(d),
                Parsed::Text => Val::Text(t),
            }
        }
        Cell::Bool(b) => Val::Bool(b),
        Cell::Error(e) => Val::Error(e),
        Cell::NoValue => Val::NoValue,
    })
}

/// Distinct numbers and dates counted exactly per column: beyond, the column is "capped" (a
/// column of amounts has as many values as rows; its distinct count says little, and hashing
/// every amount would cost more than the rest of the profile).
pub(crate) const NUM_CAP: usize = 1000;

/// Marks "no value in this row" in the per-row vectors.
pub(crate) const NO_KEY: u32 = u32::MAX;

/// A distinct value of a column.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum KeyVal {
    Text(Box<str>),
    Number(f64),
    Date(f64),
    Bool(bool),
}

#[derive(Default)]
pub(crate) struct ColAcc {
    pub n_num: u64,
    pub n_pct: u64,
    pub n_cur: u64,
    pub n_date: u64,
    pub n_text: u64,
    pub n_bool: u64,
    pub n_err: u64,
    pub n_novalue: u64,
    /// Numbers per data row (NaN where the row has none); created at the first number.
    pub nums: Option<Vec<f64>>,
    /// Distinct-text id per data row (`NO_KEY` where there is no text); dropped when the cap
    /// is reached. Numbers are kept in `nums`, so numeric keys need no ids per row.
    pub keys: Option<Vec<u32>>,
    pub sum: Fsum,
    /// `sum` as it was at the last total row: the sum since then (a sub-total's rows) is
    /// computed exactly from the two, only when a total row comes.
    pub at_last_total: Fsum,
    pub min: Option<(f64, u32)>,
    pub max: Option<(f64, u32)>,
    pub dmin: Option<f64>,
    pub dmax: Option<f64>,
    pub text_ids: HashMap<Box<str>, u32>,
    pub num_ids: HashMap<u64, u32>,
    pub date_ids: HashMap<u64, u32>,
    pub values: Vec<KeyVal>,
    pub counts: Vec<u64>,
    pub capped: bool,
    /// Distinct numbers and dates seen (their own, lower cap: see `NUM_CAP`).
    pub distinct_nums: usize,
    /// A currency written in the cells ("1 200 DH").
    pub currency_text: bool,
}

impl ColAcc {
    /// Records a non-empty cell of data row `di` (0-based among data rows), sheet row `row`.
    pub fn push(&mut self, val: &Val<'_>, di: u32, row: u32, cap: usize) {
        match *val {
            Val::Number(v, f, currency_text) => {
                self.currency_text |= currency_text;
                self.number(v, f, di, row, cap)
            }
            Val::Date(d) => self.date(d, di, cap),
            Val::Text(t) => {
                self.n_text += 1;
                if !self.capped {
                    let id = match self.text_ids.get(t) {
                        Some(&id) => id,
                        None => match self.new_id(KeyVal::Text(t.into()), cap) {
                            Some(id) => {
                                self.text_ids.insert(t.into(), id);
                                id
                            }
                            None => return,
                        },
                    };
                    self.count(id, di);
                }
            }
            Val::Bool(b) => {
                self.n_bool += 1;
                let t = if b { "VRAI" } else { "FAUX" };
                if !self.capped {
                    let id = match self.text_ids.get(t) {
                        Some(&id) => id,
                        None => match self.new_id(KeyVal::Bool(b), cap) {
                            Some(id) => {
                                self.text_ids.insert(t.into(), id);
                                id
                            }
                            None => return,
                        },
                    };
                    self.count(id, di);
                }
            }
            Val::Error(_) => self.n_err += 1,
            Val::NoValue => self.n_novalue += 1,
        }
    }

    fn number(&mut self, v: f64, f: NumFormat, di: u32, row: u32, cap: usize) {
        if !v.is_finite() {
            return;
        }
        self.n_num += 1;
        match f {
            NumFormat::Percent => self.n_pct += 1,
            NumFormat::Currency => self.n_cur += 1,
            NumFormat::Plain => {}
        }
        let nums = self.nums.get_or_insert_with(Vec::new);
        if nums.len() < di as usize {
            nums.resize(di as usize, f64::NAN);
        }
        nums.push(v);
        self.sum.add(v);
        if self.min.is_none_or(|(m, _)| v < m) {
            self.min = Some((v, row));
        }
        if self.max.is_none_or(|(m, _)| v > m) {
            self.max = Some((v, row));
        }
        // +0.0 and -0.0 are one value.
        let bits = if v == 0.0 { 0 } else { v.to_bits() };
        if !self.capped {
            self.tally(false, bits, KeyVal::Number(v), cap);
        }
    }

    fn date(&mut self, d: f64, di: u32, cap: usize) {
        self.n_date += 1;
        if self.dmin.is_none_or(|m| d < m) {
            self.dmin = Some(d);
        }
        if self.dmax.is_none_or(|m| d > m) {
            self.dmax = Some(d);
        }
        if !self.capped {
            self.tally(true, d.to_bits(), KeyVal::Date(d), cap);
        }
        let _ = di;
    }

    /// Counts a number or a date among the distinct values (no per-row id: `nums` has them).
    fn tally(&mut self, date: bool, bits: u64, val: KeyVal, cap: usize) {
        let map = if date { &mut self.date_ids } else { &mut self.num_ids };
        if let Some(&id) = map.get(&bits) {
            self.counts[id as usize] += 1;
            return;
        }
        self.distinct_nums += 1;
        let cap = if self.distinct_nums > NUM_CAP { 0 } else { cap };
        if let Some(id) = self.new_id(val, cap) {
            let map = if date { &mut self.date_ids } else { &mut self.num_ids };
            map.insert(bits, id);
            self.counts[id as usize] += 1;
        }
    }

    /// A new distinct value, or `None` when the cap is reached (the column is then "capped":
    /// its distinct count is "more than cap" and its per-row keys are dropped).
    fn new_id(&mut self, val: KeyVal, cap: usize) -> Option<u32> {
        if self.values.len() >= cap {
            self.capped = true;
            self.keys = None;
            self.text_ids = HashMap::default();
            self.num_ids = HashMap::default();
            self.date_ids = HashMap::default();
            self.values = Vec::new();
            self.counts = Vec::new();
            return None;
        }
        self.values.push(val);
        self.counts.push(0);
        Some((self.values.len() - 1) as u32)
    }

    fn count(&mut self, id: u32, di: u32) {
        self.counts[id as usize] += 1;
        let keys = self.keys.get_or_insert_with(Vec::new);
        if keys.len() < di as usize {
            keys.resize(di as usize, NO_KEY);
        }
        keys.push(id);
    }

    /// Pads the per-row vectors to `rows` data rows.
    pub fn finish(&mut self, rows: u32) {
        if let Some(n) = &mut self.nums {
            n.resize(rows as usize, f64::NAN);
        }
        if let Some(k) = &mut self.keys {
            k.resize(rows as usize, NO_KEY);
        }
    }

    pub fn non_blank(&self) -> u64 {
        self.n_num + self.n_date + self.n_text + self.n_bool + self.n_err + self.n_novalue
    }
}

/// The exact median of the numbers (NaN skipped), by selection.
pub(crate) fn median(nums: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = nums.iter().copied().filter(|x| !x.is_nan()).collect();
    let n = v.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    let (_, m, upper) = v.select_nth_unstable_by(mid, f64::total_cmp);
    let m = *m;
    if n % 2 == 1 {
        return Some(m);
    }
    let _ = upper;
    // Even count: the mean of the two middle values (as Python's statistics.median computes
    // it); the lower one is the largest of the lower half.
    let lo = v[..mid].iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((lo + m) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fsum_is_exact() {
        let mut s = Fsum::default();
        for _ in 0..10 {
            s.add(0.1);
        }
        assert_eq!(s.value(), 1.0);
        let mut s = Fsum::default();
        for x in [1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50] {
            s.add(x);
        }
        assert_eq!(s.value(), 1e-100);
        let mut s = Fsum::default();
        for x in [282.47, 10138.33, 56.49, 2027.67] {
            s.add(x);
        }
        assert_eq!(s.value(), 12504.96);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, f64::NAN, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN]), None);
        assert_eq!(median(&[5.0, 5.0]), Some(5.0));
    }

    #[test]
    fn distinct_values_are_capped() {
        let mut c = ColAcc::default();
        for (i, t) in ["a", "b", "a", "c"].iter().enumerate() {
            c.push(&classify(&Cell::Text(t)).unwrap(), i as u32, i as u32, 10);
        }
        assert_eq!(c.values.len(), 3);
        assert_eq!(c.counts, vec![2, 1, 1]);
        c.push(&Val::Text("d"), 4, 4, 3);
        assert!(c.capped && c.keys.is_none());
        assert_eq!(c.n_text, 5);
    }
}
