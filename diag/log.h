/*
 * log.h - what the project's programs say on stderr, by level. A line
 * reads "PROGRAM: message", or "PROGRAM COMMAND: message" once a command
 * is under way (log_set_command), as a person reads a Unix tool's; at
 * the debug level each line also names the module that said it,
 * "PROGRAM COMMAND: [module] message". A file says which module it is
 * by defining LOG_MODULE before it includes this header; the macros add
 * it. The board takes the level from --log-level, crtool from -v.
 */
#ifndef LOG_H
#define LOG_H

enum log_level {
	LOG_LEVEL_ERROR = 0, /* something failed: the person must act */
	LOG_LEVEL_WARN,      /* something is off, and the program goes on */
	LOG_LEVEL_INFO,      /* what a program does, as it does it (the default) */
	LOG_LEVEL_DEBUG,     /* its steps, for whoever looks into it */
};

/* The program's name, its command (NULL: none) and its level. */
void log_set_program(const char *name);
void log_set_command(const char *command);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

#include <stdio.h>

/* Where the lines go: f (a log file, -o), or NULL for stderr. */
void log_set_file(FILE *f);

/* Sets the level called name ("error", "warn", "info", "debug", as
 * --log-level says it): 0, or -1 (nothing changed) if it names none. */
int log_set_level_by_name(const char *name);

/* Says a printf-style line at level for module (use the macros). */
void log_say(enum log_level level, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifndef LOG_MODULE
#define LOG_MODULE NULL
#endif

#define LOG_ERROR(...) log_say(LOG_LEVEL_ERROR, LOG_MODULE, __VA_ARGS__)
#define LOG_WARN(...) log_say(LOG_LEVEL_WARN, LOG_MODULE, __VA_ARGS__)
#define LOG_INFO(...) log_say(LOG_LEVEL_INFO, LOG_MODULE, __VA_ARGS__)
#define LOG_DEBUG(...)                                                     \
	do {                                                               \
		if (log_get_level() >= LOG_LEVEL_DEBUG)                    \
			log_say(LOG_LEVEL_DEBUG, LOG_MODULE, __VA_ARGS__); \
	} while (0)

#endif /* LOG_H */
