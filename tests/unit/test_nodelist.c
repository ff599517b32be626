/*
 * test_nodelist.c - node lists as users write them for SPMD launches.
 */
#include <criterion/criterion.h>

#include "proto/nodelist.h"

Test(nodelist, numbers_and_ranges_in_the_order_written)
{
	uint32_t n[NODELIST_MAX];

	cr_assert_eq(nodelist_parse("0,8-11,20", n, NODELIST_MAX), 6);
	cr_expect(n[0] == 0 && n[1] == 8 && n[4] == 11 && n[5] == 20);
	cr_assert_eq(nodelist_parse("9,8", n, NODELIST_MAX), 2);
	cr_expect(n[0] == 9 && n[1] == 8);
	cr_expect_eq(nodelist_parse("8-23", n, NODELIST_MAX), 16);
	cr_expect_eq(nodelist_parse("5-5", n, NODELIST_MAX), 1);
}

Test(nodelist, anything_else_is_refused)
{
	static const char *const bad[] = {
		"",       ",",  "8,", ",8", "8,,9", "8-",   "-8", "9-8", "8,8",
		"8-10,9", "+8", " 8", "8 ", "8-+9", "8--9", "x",  "8a",  "99999999999999999999"
	};
	uint32_t n[NODELIST_MAX];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(nodelist_parse(bad[i], n, NODELIST_MAX), -1, "'%s' taken", bad[i]);
	cr_expect_eq(nodelist_parse("0-64", n, NODELIST_MAX), -1, "more than the limit");
	cr_expect_eq(nodelist_parse("0-63", n, NODELIST_MAX), 64);
	cr_expect_eq(nodelist_parse("1,2,3", n, 2), -1);
}
