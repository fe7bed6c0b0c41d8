/* WISPr 1.0 messages as captive portals embed them, and the login form. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "wispr.h"

/* A page as hotspot gateways send it: the XML inside an HTML comment. */
static const char redirect_page[] =
	"<html><head><title>Hotspot</title></head><body>\n"
	"<!--<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<WISPAccessGatewayParam xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
	" xsi:noNamespaceSchemaLocation=\"http://www.acmewisp.com/WISPAccessGatewayParam.xsd\">\n"
	"<Redirect>\n"
	"  <AccessProcedure>1.0</AccessProcedure>\n"
	"  <AccessLocation>CDATA[[isocc=,cc=,ac=,network=ACMEWISP,]]</AccessLocation>\n"
	"  <LocationName>CDATA[[ACMEWISP,Gate_14_Terminal_C_of_Newark_Airport]]</LocationName>\n"
	"  <LoginURL>http://portal.lab/login?a=1&amp;b=2</LoginURL>\n"
	"  <AbortLoginURL>http://portal.lab/abort</AbortLoginURL>\n"
	"  <MessageType>100</MessageType>\n"
	"  <ResponseCode>0</ResponseCode>\n"
	"</Redirect>\n"
	"</WISPAccessGatewayParam>-->\n"
	"<p>Please log in.</p></body></html>\n";

static int parse(const char *page, struct wispr_message *msg)
{
	return wispr_message_parse(page, strlen(page), msg);
}

static void test_redirect(void)
{
	struct wispr_message msg;

	CHECK_INT(parse(redirect_page, &msg), 1);
	CHECK_INT(msg.message_type, 100);
	CHECK_INT(msg.response_code, 0);
	CHECK_STR(msg.access_procedure, "1.0");
	/* Entities decoded; AbortLoginURL is not taken for LoginURL. */
	CHECK_STR(msg.login_url, "http://portal.lab/login?a=1&b=2");
	CHECK(wispr_is_login_redirect(&msg));
	CHECK(!wispr_is_login_success(&msg));
}

static void test_replies(void)
{
	struct wispr_message msg;

	CHECK_INT(parse("<WISPAccessGatewayParam><AuthenticationReply>"
			"<MessageType>120</MessageType><ResponseCode>50</ResponseCode>"
			"<LogoffURL><![CDATA[http://portal.lab/logoff]]></LogoffURL>"
			"</AuthenticationReply></WISPAccessGatewayParam>", &msg), 1);
	CHECK(wispr_is_login_success(&msg));
	CHECK_STR(msg.logoff_url, "http://portal.lab/logoff");
	CHECK(!wispr_is_login_redirect(&msg));
	CHECK_INT(parse("<WISPAccessGatewayParam><AuthenticationReply>"
			"<MessageType>120</MessageType><ResponseCode>100</ResponseCode>"
			"</AuthenticationReply></WISPAccessGatewayParam>", &msg), 1);
	CHECK(!wispr_is_login_success(&msg));
	/* A poll reply may carry the success too. */
	CHECK_INT(parse("<WISPAccessGatewayParam><MessageType>140</MessageType>"
			"<ResponseCode> 50 </ResponseCode></WISPAccessGatewayParam>", &msg), 1);
	CHECK(wispr_is_login_success(&msg));
}

static void test_not_wispr(void)
{
	struct wispr_message msg = { .message_type = 7 };
	char url[WISPR_URL_MAX + 200];

	CHECK_INT(parse("<html>login here</html>", &msg), 0);
	CHECK_INT(msg.message_type, 7);	/* untouched */
	/* No end: a page cut short is not read. */
	CHECK_INT(parse("<WISPAccessGatewayParam><MessageType>100</MessageType>", &msg), 0);
	/* Fields that are not numbers or not there. */
	CHECK_INT(parse("<WISPAccessGatewayParam><MessageType>1x</MessageType>"
			"</WISPAccessGatewayParam>", &msg), 1);
	CHECK_INT(msg.message_type, -1);
	CHECK_INT(msg.response_code, -1);
	CHECK(!wispr_is_login_redirect(&msg));
	/* A Redirect of another access procedure, or without a LoginURL. */
	CHECK_INT(parse("<WISPAccessGatewayParam><MessageType>100</MessageType>"
			"<AccessProcedure>2.0</AccessProcedure><LoginURL>http://x/</LoginURL>"
			"</WISPAccessGatewayParam>", &msg), 1);
	CHECK(!wispr_is_login_redirect(&msg));
	CHECK_INT(parse("<WISPAccessGatewayParam><MessageType>100</MessageType>"
			"<AccessProcedure>1.0</AccessProcedure>"
			"</WISPAccessGatewayParam>", &msg), 1);
	CHECK(!wispr_is_login_redirect(&msg));
	/* An element that opens and never closes. */
	CHECK_INT(parse("<WISPAccessGatewayParam><LoginURL>http://x/"
			"</WISPAccessGatewayParam>", &msg), 1);
	CHECK_STR(msg.login_url, "");
	/* A URL longer than kept is refused, not cut. */
	memset(url, 'a', sizeof(url) - 1);
	url[sizeof(url) - 1] = '\0';
	{
		char page[sizeof(url) + 128];

		snprintf(page, sizeof(page), "<WISPAccessGatewayParam><LoginURL>%s</LoginURL>"
			 "</WISPAccessGatewayParam>", url);
		CHECK_INT(parse(page, &msg), -EINVAL);
	}
}

static void test_form(void)
{
	char form[256];
	int len = wispr_login_form("alice smith", "p&ss=w%rd", "http://isp.lab/check", form,
				   sizeof(form));

	CHECK_STR(form, "button=Login&UserName=alice+smith&Password=p%26ss%3Dw%25rd"
			"&FNAME=0&OriginatingServer=http%3A%2F%2Fisp.lab%2Fcheck");
	CHECK_INT(len, (int)strlen(form));
	/* Too short: nothing of the password is left behind. */
	CHECK_INT(wispr_login_form("alice", "secret", "http://x/", form, 40), -ENOSPC);
	CHECK(!memmem(form, 40, "sec", 3));
	CHECK_INT(wispr_login_form("a", "b", "c", form, 0), -ENOSPC);
}

int main(void)
{
	test_redirect();
	test_replies();
	test_not_wispr();
	test_form();
	CHECK_DONE();
}
