# Rules the members set by vote, over time: each rule as steps (its value from each epoch on),
# a dot where a passed proposal set it, and an open circle where one passed but had not applied
# by the end of the run. Data: one block per rule and platform (label row, day, value), then a
# block of applied changes and a last block of passed, not yet applied ones.
# ARG3 y label, ARG4 title, ARG5 x label.
load ARG2.'/style.gp'
f = 'data/'.ARG1.'.dat'
stats f using 1 nooutput
nb = STATS_blocks
set xlabel ARG5
set ylabel ARG3
set title ARG4
set yrange [0:*]
set format y '%g%%'
do for [fmt in "png svg"] {
    if (fmt eq "png") { eval PNG; set output '.tmp-'.ARG1.'.png' } else { eval SVG; set output '.tmp-'.ARG1.'.svg' }
    plot for [i=0:nb-3] f index i using 1:2 with steps ls sty(i) title columnheader(1), \
         f index nb-2 using 1:2 with points pt 7 ps 1.1 lc rgb '#222222' title columnheader(1), \
         f index nb-1 using 1:2 with points pt 6 ps 1.4 lw 1.5 lc rgb '#222222' title columnheader(1)
}
