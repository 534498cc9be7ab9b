# Hour by hour: riders' requests (the same riders on every platform), and per platform the trips
# served (solid) and requests abandoned (dashed). Data: one block per platform: label row, then
# hour, requests, served, abandoned. ARG3 title.
load ARG2.'/style.gp'
f = 'data/'.ARG1.'.dat'
stats f using 1 nooutput
nb = STATS_blocks
set xlabel 'hour of the simulated period'
set ylabel 'riders per hour'
set title ARG3
set yrange [0:*]
# Every 2 hours over a day; every 24 over several days.
xstep = STATS_max > 48 ? 24 : 2
set xtics xstep
set style fill transparent solid 0.15 noborder
do for [fmt in "png svg"] {
    if (fmt eq "png") { eval PNG; set output '.tmp-'.ARG1.'.png' } else { eval SVG; set output '.tmp-'.ARG1.'.svg' }
    plot f index 0 using 1:2 with filledcurves y1=0 lc rgb '#777777' title 'requests (all platforms)', \
         for [i=0:nb-1] f index i using 1:3 with linespoints ls sty(i) pt 7 ps 0.5 title columnheader(3), \
         for [i=0:nb-1] f index i using 1:4 with linespoints ls sty(i) dt 2 pt 6 ps 0.5 title columnheader(4)
}
