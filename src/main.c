#include <stdio.h>
#include "connd-config.h"

int main(int argc, char **argv)
{
	(void)argc; (void)argv;
	printf("connd %s\n", CONND_VERSION);
	return 0;
}
