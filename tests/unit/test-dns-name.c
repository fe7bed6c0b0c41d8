/* The DNS name codec: reading names (with and without compression), bounds,
 * pointer loops, text in both directions, comparison. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "dns-name.h"

/* Header, then "www.Example.com" at 12, "mail" + pointer to "Example.com"
 * at 29, "sub" + pointer to "mail..." at 36. */
static const uint8_t msg[] = {
	0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
	3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	4, 'm', 'a', 'i', 'l', 0xc0, 16,
	3, 's', 'u', 'b', 0xc0, 29,
};

static void test_read(void)
{
	uint8_t name[DNS_NAME_MAX];
	size_t pos = 12;

	CHECK_INT(dns_name_read(msg, sizeof(msg), &pos, DNS_NAME_COMPRESSED, name), 17);
	CHECK_INT(pos, 29);
	CHECK(!memcmp(name, "\3www\7Example\3com", 17));
	CHECK_INT(dns_name_read(msg, sizeof(msg), &pos, DNS_NAME_COMPRESSED | DNS_NAME_LOWER,
				name), 18);
	CHECK_INT(pos, 36);
	CHECK(!memcmp(name, "\4mail\7example\3com", 18));
	/* Two pointers deep; skipping without a copy moves on all the same. */
	CHECK_INT(dns_name_read(msg, sizeof(msg), &pos, DNS_NAME_COMPRESSED, name), 22);
	CHECK(!memcmp(name, "\3sub\4mail\7Example\3com", 22));
	pos = 29;
	CHECK_INT(dns_name_read(msg, sizeof(msg), &pos, DNS_NAME_COMPRESSED, NULL), 18);
	CHECK_INT(pos, 36);
	/* The root. */
	pos = 28;
	CHECK_INT(dns_name_read(msg, sizeof(msg), &pos, 0, name), 1);
	CHECK_INT(pos, 29);
}

static void test_read_bad(void)
{
	uint8_t buf[sizeof(msg)], name[DNS_NAME_MAX], big[400];
	size_t pos = 29;

	/* No pointers where there is no message to point into. */
	CHECK_INT(dns_name_read(msg, sizeof(msg), &pos, 0, name), -EBADMSG);
	CHECK_INT(pos, 29);
	/* Cut short: in a label, in a pointer, before the root. */
	pos = 12;
	CHECK_INT(dns_name_read(msg, 20, &pos, DNS_NAME_COMPRESSED, name), -EBADMSG);
	pos = 29;
	CHECK_INT(dns_name_read(msg, 35, &pos, DNS_NAME_COMPRESSED, name), -EBADMSG);
	pos = 12;
	CHECK_INT(dns_name_read(msg, 28, &pos, DNS_NAME_COMPRESSED, name), -EBADMSG);
	CHECK_INT(pos, 12);
	/* A pointer to itself, forwards, into the header; labels of type 01 and 10. */
	memcpy(buf, msg, sizeof(msg));
	buf[35] = 34;
	pos = 29;
	CHECK_INT(dns_name_read(buf, sizeof(buf), &pos, DNS_NAME_COMPRESSED, name), -EBADMSG);
	buf[35] = 36;
	CHECK_INT(dns_name_read(buf, sizeof(buf), &pos, DNS_NAME_COMPRESSED, name), -EBADMSG);
	buf[35] = 4;
	CHECK_INT(dns_name_read(buf, sizeof(buf), &pos, DNS_NAME_COMPRESSED, name), -EBADMSG);
	buf[34] = 0x40;
	CHECK_INT(dns_name_read(buf, sizeof(buf), &pos, DNS_NAME_COMPRESSED, name), -EBADMSG);
	buf[34] = 0x80;
	CHECK_INT(dns_name_read(buf, sizeof(buf), &pos, DNS_NAME_COMPRESSED, name), -EBADMSG);
	/* 255 octets: three labels of 63, one of 61, the root; with 62, 256. */
	memset(big, 'a', sizeof(big));
	for (int i = 0; i < 3; i++)
		big[i * 64] = 63;
	big[192] = 61;
	big[254] = 0;
	pos = 0;
	CHECK_INT(dns_name_read(big, sizeof(big), &pos, 0, name), 255);
	big[192] = 62;
	big[255] = 0;
	pos = 0;
	CHECK_INT(dns_name_read(big, sizeof(big), &pos, 0, name), -EBADMSG);
}

/* A chain of 40 pointers, each one back to the one before: past the hop limit. */
static void test_pointer_chain(void)
{
	uint8_t buf[12 + 1 + 2 * 40], name[DNS_NAME_MAX];
	size_t pos, last = 13 + 2 * 39;

	memset(buf, 0, sizeof(buf));
	for (size_t i = 0; i < 40; i++) {
		buf[13 + 2 * i] = 0xc0;
		buf[14 + 2 * i] = (uint8_t)(i ? 13 + 2 * (i - 1) : 12);
	}
	pos = 13 + 2 * 20;
	CHECK_INT(dns_name_read(buf, sizeof(buf), &pos, DNS_NAME_COMPRESSED, name), 1);
	pos = last;
	CHECK_INT(dns_name_read(buf, sizeof(buf), &pos, DNS_NAME_COMPRESSED, name), -EBADMSG);
}

static void test_text(void)
{
	uint8_t name[DNS_NAME_MAX], odd[] = { 3, 'a', ' ', 0x80, 0 };
	char text[DNS_NAME_TEXT_MAX], label[70], long_text[300];

	CHECK_INT(dns_name_from_text("corp.Example.", name), 14);
	CHECK(!memcmp(name, "\4corp\7Example", 14));
	CHECK_INT(dns_name_from_text("corp.Example", name), 14);
	CHECK_INT(dns_name_to_text(name, text, sizeof(text)), 12);
	CHECK_STR(text, "corp.Example");
	CHECK_INT(dns_name_to_text(name, text, 13), 12);
	CHECK_INT(dns_name_to_text(name, text, 12), -ENOSPC);
	CHECK_INT(dns_name_from_text(".", name), 1);
	CHECK_INT(dns_name_to_text(name, text, sizeof(text)), 1);
	CHECK_STR(text, ".");
	CHECK_INT(dns_name_to_text(odd, text, sizeof(text)), 3);
	CHECK_STR(text, "a??");
	CHECK_INT(dns_name_from_text("", name), -EINVAL);
	CHECK_INT(dns_name_from_text("a..b", name), -EINVAL);
	CHECK_INT(dns_name_from_text(".a", name), -EINVAL);
	memset(label, 'x', sizeof(label));
	label[63] = '\0';
	CHECK_INT(dns_name_from_text(label, name), 65);
	label[63] = 'x';
	label[64] = '\0';
	CHECK_INT(dns_name_from_text(label, name), -EINVAL);
	/* 253 characters make 255 octets; one more is too long. */
	memset(long_text, 'a', sizeof(long_text));
	for (int i = 63; i < 253; i += 64)
		long_text[i] = '.';
	long_text[253] = '\0';
	CHECK_INT(dns_name_from_text(long_text, name), 255);
	CHECK_INT(dns_name_to_text(name, text, sizeof(text)), 253);
	CHECK_STR(text, long_text);
	long_text[253] = 'a';
	long_text[254] = '\0';
	CHECK_INT(dns_name_from_text(long_text, name), -EINVAL);
}

static void test_compare(void)
{
	uint8_t a[DNS_NAME_MAX], b[DNS_NAME_MAX], d[DNS_NAME_MAX];

	dns_name_from_text("WWW.corp.example", a);
	dns_name_from_text("www.Corp.Example", b);
	CHECK(dns_name_equal(a, b));
	CHECK_INT(dns_name_len(a), 18);
	dns_name_from_text("corp.EXAMPLE", d);
	CHECK(dns_name_under(a, d));
	CHECK(dns_name_under(d, d));
	CHECK(!dns_name_under(d, a));
	dns_name_from_text("orp.example", d);
	CHECK(!dns_name_under(a, d));
	CHECK(!dns_name_equal(a, d));
	CHECK(dns_name_under(a, (const uint8_t *)""));
	dns_name_lower(a);
	CHECK(!memcmp(a, "\3www\4corp\7example", 18));
	CHECK(dns_name_is_hostname(a));
	dns_name_from_text("a;b.example", d);
	CHECK(!dns_name_is_hostname(d));
	CHECK(!dns_name_is_hostname((const uint8_t *)""));
}

int main(void)
{
	test_read();
	test_read_bad();
	test_pointer_chain();
	test_text();
	test_compare();
	CHECK_DONE();
}
