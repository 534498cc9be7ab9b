# The shared look of every coopsim plot: Okabe-Ito palette (readable by colour-blind readers),
# fonts, axes, legend below the plot so it never covers data. Loaded by each plot script.
# Scripts get fixed arguments only: ARG1 the plot name (data in data/NAME.dat, output to
# .tmp-NAME.png and .svg, which the program renames), ARG2 this directory, ARG3.. options.
# Everything that comes from a scenario (platform names) reaches gnuplot only as data-file text.
PNG = "set terminal pngcairo size 960,540 noenhanced font 'DejaVu Sans,11' linewidth 1.4 background rgb 'white'"
SVG = "set terminal svg size 960,540 dynamic noenhanced font 'DejaVu Sans,11' linewidth 1.4 background rgb 'white'"

# Platforms, in summary.json order (the report's tables use the same colours). ARG9 lists the
# platform of each block of the data file; sty(i) is the line style of block i.
sty(i) = (ARG9 eq "" ? i + 1 : int(word(ARG9, i + 1)))
set style line 1 lc rgb '#D55E00' lw 2 pt 7 ps 0.7
set style line 2 lc rgb '#009E73' lw 2 pt 5 ps 0.7
set style line 3 lc rgb '#0072B2' lw 2 pt 9 ps 0.8
set style line 4 lc rgb '#CC79A7' lw 2 pt 11 ps 0.8
set style line 5 lc rgb '#E69F00' lw 2 pt 13 ps 0.8
set style line 6 lc rgb '#56B4E9' lw 2 pt 3 ps 0.8
set style line 7 lc rgb '#222222' lw 2 pt 7 ps 0.8
set style line 8 lc rgb '#999999' lw 2 pt 5 ps 0.8
# Where riders' money goes: driver pay, pay-floor top-ups, dividends, reserve, operating costs,
# chain fees, interest, profit to investors, other.
set style line 11 lc rgb '#0072B2'
set style line 12 lc rgb '#56B4E9'
set style line 13 lc rgb '#009E73'
set style line 14 lc rgb '#8FD19E'
set style line 15 lc rgb '#999999'
set style line 16 lc rgb '#E69F00'
set style line 17 lc rgb '#CC79A7'
set style line 18 lc rgb '#D55E00'
set style line 19 lc rgb '#DDDDDD'
# Reference lines.
set style line 20 lc rgb '#888888' lw 1 dt 2

set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6 textcolor rgb '#333333'
set grid ytics lc rgb '#e4e4e4' lw 1 dt 1
set grid xtics lc rgb '#f0f0f0' lw 1 dt 1
set key below horizontal Left reverse noenhanced samplen 2.5 spacing 1.2 width 1 textcolor rgb '#222222'
set title font ',13' textcolor rgb '#111111'
set datafile separator '\t'
set datafile missing 'nan'
set encoding utf8
