# Where riders' money goes, per platform: stacked bars per average trip. Data: a label row
# (category names), then one row per platform: its label and the amounts. ARG3 y label, ARG4 title,
# ARG5 number of categories.
load ARG2.'/style.gp'
f = 'data/'.ARG1.'.dat'
k = int(ARG5)
set ylabel ARG3
set title ARG4
set yrange [0:*]
set style data histograms
set style histogram rowstacked
set style fill solid 0.9 border rgb '#ffffff'
set boxwidth 0.55
set grid noxtics
set key below
do for [fmt in "png svg"] {
    if (fmt eq "png") { eval PNG; set output '.tmp-'.ARG1.'.png' } else { eval SVG; set output '.tmp-'.ARG1.'.svg' }
    plot for [c=2:k+1] f using c:xtic(1) ls (c+9) title columnheader(c)
}
