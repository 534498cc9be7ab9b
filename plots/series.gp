# A quantity over time, one block per platform or per group, as points or steps. Data: label row,
# then time and value; with "lines", two more columns (the 95% interval of a mean over runs) draw
# a shaded band under the line. ARG3 y label, ARG4 title, ARG5 style ("points", "steps", "stepspoints", "lines"),
# ARG6 x label, ARG7 "percent" to show y as %.
load ARG2.'/style.gp'
f = 'data/'.ARG1.'.dat'
stats f using 1 nooutput
nb = STATS_blocks
set xlabel ARG6
set ylabel ARG3
set title ARG4
set xrange [0:*]
set yrange [0:*]
if (ARG7 eq "percent") { set format y '%g%%'; m = 100 } else { m = 1 }
band = 0
if (ARG5 eq "lines") { stats f using (valid(4) ? 1 : 0) nooutput; band = STATS_sum > 0 }
set style fill transparent solid 0.18 noborder
do for [fmt in "png svg"] {
    if (fmt eq "png") { eval PNG; set output '.tmp-'.ARG1.'.png' } else { eval SVG; set output '.tmp-'.ARG1.'.svg' }
    if (ARG5 eq "steps") {
        plot for [i=0:nb-1] f index i using 1:($2*m) with steps ls sty(i) title columnheader(1)
    } else { if (ARG5 eq "stepspoints") {
        plot for [i=0:nb-1] f index i using 1:($2*m) with steps ls sty(i) title columnheader(1), \
             for [i=0:nb-1] f index i using 1:($2*m) with points ls sty(i) pt 7 ps 1.2 notitle
    } else { if (ARG5 eq "lines" && band) {
        plot for [i=0:nb-1] f index i using 1:($3*m):($4*m) with filledcurves ls sty(i) notitle, \
             for [i=0:nb-1] f index i using 1:($2*m) with lines ls sty(i) title columnheader(1)
    } else { if (ARG5 eq "lines") {
        plot for [i=0:nb-1] f index i using 1:($2*m) with linespoints ls sty(i) ps 0.5 title columnheader(1)
    } else {
        plot for [i=0:nb-1] f index i using 1:($2*m) with points ls sty(i) ps 1.1 title columnheader(1)
    } } } }
}
