/* Canonical input on a pty: the editing characters (ERASE, KILL, WERASE,
 * LNEXT, REPRINT, EOF, EOL, EOL2), IEXTEN, the echo flags and the exact
 * bytes echoed for each, lines longer than the buffer, FIONREAD. */
#include "ptys.h"

#define S(x) x, sizeof(x) - 1

struct edit {
	const char *what;
	tcflag_t lon, loff, ion;
	const char *in;
	size_t n;
};

/* One case a line; adjacent literals end a hex escape. */
/* clang-format off */
static const struct edit edits[] = {
	{"erase", 0, 0, 0, S("ab\x7f" "c\n")},
	{"erase past the line start", 0, 0, 0, S("\x7f\x7f" "a\n")},
	{"erase a control char", 0, 0, 0, S("a\x01\x7f\n")},
	{"erase a control char, no ECHOCTL", 0, ECHOCTL, 0, S("a\x01\x7f\n")},
	{"erase, no ECHOE", 0, ECHOE, 0, S("ab\x7f\n")},
	{"erase, no ECHOE nor ECHOCTL", 0, ECHOE | ECHOCTL, 0, S("ab\x7f\n")},
	{"erase tabs", 0, 0, 0, S("\t\x7f" "ab\t\x7f\x7f" "abcdefghi\t\x7f\n")},
	{"erase a tab after a control char", 0, 0, 0, S("a\x01\t\x7f\n")},
	{"erase a tab after a tab", 0, 0, 0, S("ab\t\tc\x7f\x7f\n")},
	{"erase a UTF-8 char", 0, 0, 0, S("a\xc3\xa9\x7f\n")},
	{"erase a UTF-8 char, IUTF8", 0, 0, IUTF8, S("a\xc3\xa9\x7f\n")},
	{"kill", 0, 0, 0, S("abc\x15" "d\n")},
	{"kill, no ECHOKE", 0, ECHOKE, 0, S("abc\x15" "d\n")},
	{"kill, no ECHOKE nor ECHOK", 0, ECHOKE | ECHOK, 0, S("abc\x15" "d\n")},
	{"kill, no ECHOE", 0, ECHOE, 0, S("abc\x15" "d\n")},
	{"kill, no ECHO", 0, ECHO, 0, S("abc\x15" "d\n")},
	{"kill tabs and control chars", 0, 0, 0, S("a\x01\tb\x15\n")},
	{"kill an empty line", 0, 0, 0, S("\x15" "a\n")},
	{"werase", 0, 0, 0, S("one two-three  \x17\x17" "x\n")},
	{"werase at the line start", 0, 0, 0, S("\x17" "a\n")},
	{"werase, no IEXTEN", 0, IEXTEN, 0, S("ab\x17\n")},
	{"lnext", 0, 0, 0, S("a\x16\x7f\x16\x15\x16\n" "b\n")},
	{"lnext, no ECHOCTL", 0, ECHOCTL, 0, S("a\x16\x7f\n")},
	{"lnext, no IEXTEN", 0, IEXTEN, 0, S("a\x16\x7f\n")},
	{"reprint", 0, 0, 0, S("ab\x01\x12" "c\n")},
	{"reprint after erasing", ECHOPRT, 0, 0, S("abc\x7f\x12\n")},
	{"reprint, no ECHO", 0, ECHO, 0, S("ab\x12\n")},
	{"reprint, no IEXTEN", 0, IEXTEN, 0, S("ab\x12\n")},
	{"eof at the line start", 0, 0, 0, S("\x04")},
	{"eof mid-line", 0, 0, 0, S("ab\x04")},
	{"eof twice, then a line", 0, 0, 0, S("ab\x04\x04" "cd\n")},
	{"ECHONL without ECHO", ECHONL, ECHO, 0, S("ab\n")},
	{"ECHONL with ECHO", ECHONL, 0, 0, S("ab\n")},
	{"control chars echoed", 0, 0, 0, S("a\x01\x1b\x1f\x85" "b\n")},
	{"control chars, no ECHOCTL", 0, ECHOCTL, 0, S("a\x01\x1b" "b\n")},
	{"ECHOPRT erase", ECHOPRT, 0, 0, S("abc\x7f\x7f" "d\n")},
	{"ECHOPRT kill", ECHOPRT, 0, 0, S("abc\x15" "d\n")},
	{"ECHOPRT werase", ECHOPRT, 0, 0, S("ab cd\x17" "e\n")},
	{"no echo", 0, ECHO, 0, S("ab\x7f" "c\n")},
	{"ICANON with ECHO off, ECHOE on", 0, ECHO, 0, S("ab\x7f\n")},
};
/* clang-format on */

static struct termios saved;

static void reset(int s)
{
	if (tcsetattr(s, TCSAFLUSH, &saved))
		exit(95);
}

static void run(int m, int s, const struct edit *e)
{
	SAY("== %s\n", e->what);
	reset(s);
	tflags(s, LFLAG, e->lon, e->loff);
	tflags(s, IFLAG, e->ion, 0);
	type(m, s, e->in, e->n);
	drain(m, "echo");
	reads(s, "line", 4096);
}

/* VEOL and VEOL2 end lines too; VEOL2 only with IEXTEN. */
static void eol(int m, int s)
{
	SAY("== eol\n");
	reset(s);
	tcc(s, VEOL, '#');
	tcc(s, VEOL2, '@');
	TYPE(m, s, "ab#cd@ef\n");
	drain(m, "echo");
	reads(s, "line", 4096);
	SAY("== eol2 without IEXTEN, eol a control char\n");
	tflags(s, LFLAG, 0, IEXTEN);
	tcc(s, VEOL, 1);
	TYPE(m, s, "ab@cd\x01");
	drain(m, "echo");
	reads(s, "line", 4096);
}

/* Erasing a tab goes back to where the tab started, counting from the
 * column the line began at (after a prompt). */
static void prompt_tab(int m, int s)
{
	SAY("== erase a tab after a prompt\n");
	reset(s);
	T(write(s, "xyz", 3));
	drain(m, "prompt");
	TYPE(m, s,
	     "\t\x7f"
	     "a\t\x7f\n");
	drain(m, "echo");
	reads(s, "line", 4096);
	SAY("== erase a tab after output mid-line\n");
	TYPE(m, s, "ab");
	T(write(s, "XY", 2));
	TYPE(m, s, "\t\x7f\n");
	drain(m, "echo");
	reads(s, "line", 4096);
}

/* A line longer than the buffer: the excess overwrites its last byte, the
 * newline still ends it. */
static void long_line(int m, int s, bool echo)
{
	SAY("== a 5000-byte line, echo %d\n", echo);
	reset(s);
	if (!echo)
		tflags(s, LFLAG, 0, ECHO);
	static char buf[5001];
	memset(buf, 'a', 5000);
	buf[5000] = '\n';
	type(m, s, buf, sizeof buf);
	drain(m, "echo");
	int n = -1;
	T(ioctl(s, FIONREAD, &n));
	SAY("FIONREAD %d\n", n);
	reads(s, "line", sizeof buf);
	TYPE(m, s, "after\n");
	drain(m, "echo");
	reads(s, "line", 4096);
}

/* A line is returned over several reads when the buffer is small; the
 * next line never joins the first read. */
static void small_reads(int m, int s)
{
	SAY("== small reads\n");
	reset(s);
	TYPE(m, s, "abcdef\nxy\n");
	drain(m, "echo");
	reads(s, "line", 4);
}

/* Leaving ICANON makes the partial line readable; entering it makes
 * pending raw input a line of its own. */
static void switch_modes(int m, int s)
{
	SAY("== canonical to raw with a partial line\n");
	reset(s);
	TYPE(m, s, "abc");
	drain(m, "echo");
	int n = -1;
	T(ioctl(s, FIONREAD, &n));
	SAY("FIONREAD %d\n", n);
	tflags(s, LFLAG, 0, ICANON);
	T(ioctl(s, FIONREAD, &n));
	SAY("FIONREAD %d\n", n);
	reads(s, "raw", 4096);
	SAY("== raw to canonical with pending input\n");
	TYPE(m, s, "xy");
	drain(m, "echo");
	tflags(s, LFLAG, ICANON, 0);
	T(ioctl(s, FIONREAD, &n));
	SAY("FIONREAD %d\n", n);
	reads(s, "line", 4096);
	SAY("== canonical to raw with an end-of-file mark\n");
	tflags(s, LFLAG, ICANON, 0);
	TYPE(m, s,
	     "ab\x04"
	     "c");
	drain(m, "echo");
	tflags(s, LFLAG, 0, ICANON);
	reads(s, "raw", 4096);
	tflags(s, LFLAG, ICANON, 0);
	SAY("== FIONREAD skips end-of-file marks\n");
	TYPE(m, s,
	     "ab\x04"
	     "cd\x04\x04");
	T(ioctl(s, FIONREAD, &n));
	SAY("FIONREAD %d\n", n);
	reads(s, "line", 4096);
	T(ioctl(s, FIONREAD, &n));
	SAY("FIONREAD %d\n", n);
}

int main(void)
{
	int m, s;
	pty_pair(&m, &s);
	T(tcgetattr(s, &saved));
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++)
		run(m, s, &edits[i]);
	eol(m, s);
	prompt_tab(m, s);
	long_line(m, s, false);
	long_line(m, s, true);
	small_reads(m, s);
	switch_modes(m, s);
	return 0;
}
