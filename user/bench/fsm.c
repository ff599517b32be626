/*
 * fsm.c - benchmark: a lexer as a state machine, over 2 KiB of source-like
 * text: identifiers, numbers (decimal, hex, with exponents), strings with
 * escapes, operators and comments, one switch per byte, the counts of
 * each kind of token folded into a checksum; the text is changed a little
 * between rounds. About 6e8 instructions; the result is checked against a
 * native build of the same code.
 */
#include "nanvix/bare.h"

#define TEXT 2048
#define ROUNDS 16800

enum state { SP, ID, NUM, HEX, FRAC, EXP, STR, ESC, SLASH, LINE, BLOCK, STAR, OP };
enum kind { K_ID, K_NUM, K_STR, K_COMMENT, K_OP, K_BAD, K_KINDS };

static char text[TEXT];

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static uint32_t lex(uint32_t count[K_KINDS])
{
	enum state s = SP;
	uint32_t h = 0;

	for (int i = 0; i < TEXT; i++) {
		char c = text[i];
		enum kind done = K_KINDS;
		switch (s) {
		case SP:
		start:
			if (is_alpha(c))
				s = ID;
			else if (c == '0' && i + 1 < TEXT && text[i + 1] == 'x')
				s = HEX, i++;
			else if (is_digit(c))
				s = NUM;
			else if (c == '"')
				s = STR;
			else if (c == '/')
				s = SLASH;
			else if (c == ' ' || c == '\n')
				s = SP;
			else
				s = OP;
			break;
		case ID:
			if (!is_alpha(c) && !is_digit(c)) {
				done = K_ID;
				goto start;
			}
			break;
		case NUM:
			if (c == '.')
				s = FRAC;
			else if (c == 'e')
				s = EXP;
			else if (!is_digit(c)) {
				done = K_NUM;
				goto start;
			}
			break;
		case FRAC:
			if (c == 'e')
				s = EXP;
			else if (!is_digit(c)) {
				done = K_NUM;
				goto start;
			}
			break;
		case EXP:
			if (!is_digit(c) && c != '-') {
				done = K_NUM;
				goto start;
			}
			break;
		case HEX:
			if (!is_digit(c) && !(c >= 'a' && c <= 'f')) {
				done = K_NUM;
				goto start;
			}
			break;
		case STR:
			if (c == '\\')
				s = ESC;
			else if (c == '"')
				done = K_STR, s = SP;
			else if (c == '\n')
				done = K_BAD, s = SP;
			break;
		case ESC: s = STR; break;
		case SLASH:
			if (c == '/')
				s = LINE;
			else if (c == '*')
				s = BLOCK;
			else {
				done = K_OP;
				goto start;
			}
			break;
		case LINE:
			if (c == '\n')
				done = K_COMMENT, s = SP;
			break;
		case BLOCK:
			if (c == '*')
				s = STAR;
			break;
		case STAR:
			if (c == '/')
				done = K_COMMENT, s = SP;
			else if (c != '*')
				s = BLOCK;
			break;
		case OP:
			done = K_OP;
			goto start;
		}
		if (done != K_KINDS) {
			count[done]++;
			h = (h ^ (uint32_t)done) * 16777619u + (uint32_t)i;
		}
	}
	return h;
}

int main(void)
{
	static const char *const pieces[] = {
		"int x = 42;\n", "y = 0x1f + z3 * 2.5e-3;\n", "s = \"a\\\"b\";\n", "// note\n",
		"/* block * comment */ ", "if (a <= b) { c = d / 4; }\n", "name_1 = \"ok\\n\" ",
		"q = 7e5 - 0.125;\n",
	};
	uint32_t count[K_KINDS] = { 0 }, check = 0, seed = 1;
	int t = 0;

	for (int p = 0; t < TEXT; p = (p * 5 + 3) % 8)
		for (const char *c = pieces[p]; *c && t < TEXT; c++)
			text[t++] = *c;
	for (int r = 0; r < ROUNDS; r++) {
		check += lex(count);
		seed = seed * 1664525u + 1013904223u;
		/* Swap two bytes: the token mix shifts a little each round. */
		int a = (int)(seed >> 8) % TEXT, b = (int)(seed >> 20) % TEXT;
		char x = text[a];
		text[a] = text[b];
		text[b] = x;
	}
	for (int k = 0; k < K_KINDS; k++)
		check = check * 31u + count[k];
	nv_puts(1, "fsm ");
	nv_put_hex(1, check);
	nv_puts(1, "\n");
	return 0;
}
