# Distribution of one quantity per platform as a cumulative share (steps), e.g. drivers' net
# hourly earnings. Data: one block per platform, label row, then value and cumulative share.
# ARG3 x label, ARG4 title.
load ARG2.'/style.gp'
f = 'data/'.ARG1.'.dat'
stats f using 1 nooutput
nb = STATS_blocks
set xlabel ARG3
set ylabel 'share of drivers at or below (%)'
set title ARG4
set yrange [0:100]
set format y '%g%%'
do for [fmt in "png svg"] {
    if (fmt eq "png") { eval PNG; set output '.tmp-'.ARG1.'.png' } else { eval SVG; set output '.tmp-'.ARG1.'.svg' }
    plot for [i=0:nb-1] f index i using 1:($2*100) with steps ls sty(i) title columnheader(1)
}
