# Lorenz curves: how unevenly income is shared among drivers, one curve per platform, with the
# diagonal of perfect equality. Data: one block per platform (label row, population share, income
# share). ARG3 title.
load ARG2.'/style.gp'
f = 'data/'.ARG1.'.dat'
stats f using 1 nooutput
nb = STATS_blocks
set xlabel 'drivers, from lowest to highest income (%)'
set ylabel 'share of all drivers'' income (%)'
set title ARG3
set xrange [0:100]
set yrange [0:100]
set format x '%g%%'
set format y '%g%%'
set size ratio -1
set key below
do for [fmt in "png svg"] {
    if (fmt eq "png") { eval PNG; set output '.tmp-'.ARG1.'.png' } else { eval SVG; set output '.tmp-'.ARG1.'.svg' }
    plot x with lines ls 20 title 'perfect equality', \
         for [i=0:nb-1] f index i using ($1*100):($2*100) with lines ls sty(i) title columnheader(1)
}
