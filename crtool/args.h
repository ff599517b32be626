/*
 * args.h - crtool's command-line helpers shared by its commands.
 */
#ifndef ARGS_H
#define ARGS_H

/* Removes flag (e.g. "--json") from argv[1..*argc), shifting the rest
 * down; 1 if it was there, else 0. */
int args_take_flag(int *argc, char **argv, const char *flag);

#endif /* ARGS_H */
