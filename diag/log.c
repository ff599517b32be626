/*
 * log.c - the programs' lines on stderr (see log.h). Each line goes out
 * in one write, so that lines of several threads do not mix.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag/log.h"

static const char *log_program = "crtool";
static const char *log_command;
static enum log_level log_level = LOG_LEVEL_INFO;
static FILE *log_file; /* NULL: stderr */

static const char *const log_names[] = { "error", "warn", "info", "debug" };

void log_set_program(const char *name)
{
	log_program = name;
}

void log_set_command(const char *command)
{
	log_command = command;
}

void log_set_level(enum log_level level)
{
	log_level = level;
}

void log_set_file(FILE *f)
{
	log_file = f;
}

enum log_level log_get_level(void)
{
	return log_level;
}

int log_set_level_by_name(const char *name)
{
	for (int i = 0; i < (int)(sizeof(log_names) / sizeof(log_names[0])); i++)
		if (!strcmp(name, log_names[i])) {
			log_level = (enum log_level)i;
			return 0;
		}
	return -1;
}

void log_say(enum log_level level, const char *module, const char *fmt, ...)
{
	char line[2048];
	size_t n;
	va_list ap;

	if (level > log_level)
		return;
	n = (size_t)snprintf(line, sizeof(line), "%s%s%s: ", log_program, log_command ? " " : "",
	                     log_command ? log_command : "");
	if (log_level >= LOG_LEVEL_DEBUG && module && n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n, "[%s] ", module);
	if (n < sizeof(line)) {
		va_start(ap, fmt);
		n += (size_t)vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		va_end(ap);
	}
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	fwrite(line, 1, n, log_file ? log_file : stderr);
	if (log_file)
		fflush(log_file);
}
