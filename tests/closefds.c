/*
 * closefds PROGRAM [ARG...]: runs PROGRAM with only fds 0, 1 and 2 open.
 * Native guest-test runs use it so a test sees the same descriptor table
 * as in ./linux, whatever the shell or CI runner leaked to it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: closefds PROGRAM [ARG...]\n");
		return 2;
	}
	closefrom(3);
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
