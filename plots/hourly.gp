# Hour by hour, one to three series per platform: the first solid, the second dashed, the third
# dotted. Data: one block per platform: a label row (one label per column), then the hour and
# the series. ARG3 y label, ARG4 title, ARG5 number of series, ARG6 "percent" to show y as %
# ("signed" to let y go below 0), ARG7 x label.
load ARG2.'/style.gp'
f = 'data/'.ARG1.'.dat'
stats f using 1 nooutput
nb = STATS_blocks
k = int(ARG5)
set xlabel ARG7
set ylabel ARG3
set title ARG4
if (ARG6 eq "signed") { set yrange [*:*] } else { set yrange [0:*] }
# Every 2 hours over a day; every 24 over several days.
xstep = STATS_max > 48 ? 24 : 2
set xtics xstep
if (ARG6 eq "percent") { set format y '%g%%'; m = 100 } else { m = 1 }
do for [fmt in "png svg"] {
    if (fmt eq "png") { eval PNG; set output '.tmp-'.ARG1.'.png' } else { eval SVG; set output '.tmp-'.ARG1.'.svg' }
    plot for [i=0:nb-1] for [c=2:k+1] f index i using 1:(column(c)*m) with linespoints \
         ls sty(i) dt c-1 pt (c==2 ? 7 : 6) ps 0.5 title columnheader(c)
}
