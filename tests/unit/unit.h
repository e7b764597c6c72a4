/* A minimal unit-test harness: CHECK records failures; finish() reports. */
#ifndef UNIT_H
#define UNIT_H
#include <stdio.h>
#include <string.h>

static int unit_failures;
static const char *unit_name;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);        \
			unit_failures++;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (strcmp(a_, b_)) {                                                              \
			printf("    %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, a_, b_);       \
			unit_failures++;                                                           \
		}                                                                                  \
	} while (0)

static inline int unit_finish(void)
{
	if (unit_failures)
		printf("FAIL: unit/%s (%d checks)\n", unit_name, unit_failures);
	else
		printf("PASS: unit/%s\n", unit_name);
	return unit_failures ? 1 : 0;
}

#endif
