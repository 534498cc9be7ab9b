# A metric against a swept parameter, one line per platform with its 95% confidence band. Data:
# one block per platform: label row, then parameter value, mean, low, high. ARG3 x label,
# ARG4 y label, ARG5 title.
load ARG2.'/style.gp'
f = 'data/'.ARG1.'.dat'
stats f using 1 nooutput
nb = STATS_blocks
set xlabel ARG3
set ylabel ARG4
set title ARG5
set style fill transparent solid 0.18 noborder
do for [fmt in "png svg"] {
    if (fmt eq "png") { eval PNG; set output '.tmp-'.ARG1.'.png' } else { eval SVG; set output '.tmp-'.ARG1.'.svg' }
    plot for [i=0:nb-1] f index i using 1:3:4 with filledcurves ls sty(i) notitle, \
         for [i=0:nb-1] f index i using 1:2 with linespoints ls sty(i) ps 0.6 title columnheader(1)
}
