#!/usr/bin/env bash
# Makes the window's fonts (ui/fonts/*.woff2) from Debian's fonts-noto-core: Noto Sans (Latin)
# and Noto Naskh Arabic, subset to the characters Katib's two languages use, as WOFF2.
# SIL Open Font License 1.1 (OFL.txt). Needs: apt-get install fonts-noto-core; pip install fonttools brotli.
# The unicode ranges must match the @font-face rules at the top of ui/css/app.css.
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/share/fonts/truetype/noto
latin="U+0000-017F,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+2000-206F,U+2074,U+20AC,U+2116,U+2122,U+2190-2199,U+2212,U+2215,U+2260-2265,U+25CF,U+FEFF,U+FFFD"
arabic="U+0600-06FF,U+0750-077F,U+08A0-08FF,U+FB50-FDFF,U+FE70-FEFF,U+200C-200F,U+2010-2011,U+00A0,U+0020-0040,U+00AB,U+00BB"
subset() { pyftsubset "$src/$1.ttf" --unicodes="$2" --layout-features='*' --flavor=woff2 --output-file="$3"; }
for w in Regular Bold Italic BoldItalic; do subset "NotoSans-$w" "$latin" "katib-sans-${w,,}.woff2"; done
for w in Regular Bold; do subset "NotoNaskhArabic-$w" "$arabic" "katib-naskh-${w,,}.woff2"; done
ls -l ./*.woff2
