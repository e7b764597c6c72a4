/* Small helpers of the kernel proper. */
#include <stdio.h>
#include <stdarg.h>
#include "kernel.h"

char *kstrdup(const char *s)
{
	return kstrndup(s, strlen(s));
}

char *kstrndup(const char *s, size_t n)
{
	char *p = kmalloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

char *kasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = kmalloc((size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
