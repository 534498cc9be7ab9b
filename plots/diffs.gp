# Paired differences between platforms with their 95% confidence intervals, one row per metric,
# as a share of the baseline platform's value. Data: label row, then row number, difference (%),
# low (%), high (%), metric label. ARG3 x label, ARG4 title.
load ARG2.'/style.gp'
f = 'data/'.ARG1.'.dat'
stats f using 1 nooutput
n = STATS_records
set xlabel ARG3
set title ARG4
set yrange [n+0.5:0.5]
set ytics scale 0
set grid xtics ytics
set format x '%+g%%'
set key below
set arrow 1 from first 0, graph 0 to first 0, graph 1 nohead lc rgb '#888888' dt 2
do for [fmt in "png svg"] {
    if (fmt eq "png") { eval PNG; set output '.tmp-'.ARG1.'.png' } else { eval SVG; set output '.tmp-'.ARG1.'.svg' }
    plot f using 2:1:3:4:ytic(5) with xerrorbars ls 3 pt 7 ps 1.0 title 'difference (95% interval)'
}
