/* coopsim: the command-line program (being written). */
#include <stdio.h>
int main(void) {
    puts("coopsim " COOPSIM_VERSION);
    return 0;
}
