# Rules the members set by vote, over time: each rule as steps (its value from each epoch on),
# and a dot where a passed proposal set it. Data: one block per rule and platform (label row,
# day, value), then a last block of passed proposals (label row, day, value).
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
    plot for [i=0:nb-2] f index i using 1:2 with steps ls sty(i) title columnheader(1), \
         f index nb-1 using 1:2 with points pt 7 ps 1.1 lc rgb '#222222' title columnheader(1)
}
