/* hello-http: the demo's HTTP app. Listens on 127.0.0.1:$PORT, answers
 * GET /ok with 200 (toesd's probe) and every other path with a greeting. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_on(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 16) < 0) {
		perror("hello-http: listen");
		exit(1);
	}
	return fd;
}

static void answer(int c)
{
	char req[2048], body[128], head[256];
	ssize_t n = read(c, req, sizeof req - 1);
	if (n <= 0) {
		return;
	}
	req[n] = '\0';
	int ok = strncmp(req, "GET /ok ", 8) == 0;
	snprintf(body, sizeof body, ok ? "ok\n" : "Hello from a toesd app on port %s\n", getenv("PORT"));
	int h = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n", strlen(body));
	if (write(c, head, (size_t)h) < 0 || write(c, body, strlen(body)) < 0) {
		return;
	}
	if (!ok) {
		printf("served %.*s\n", (int)strcspn(req, "\r\n"), req);
		fflush(stdout);
	}
}

int main(void)
{
	const char *port = getenv("PORT");
	if (!port) {
		fprintf(stderr, "hello-http: PORT is not set\n");
		return 1;
	}
	int fd = listen_on(atoi(port));
	printf("listening on http://127.0.0.1:%s/\n", port);
	fflush(stdout);
	for (;;) {
		int c = accept(fd, NULL, NULL);
		if (c >= 0) {
			answer(c);
			close(c);
		}
	}
}
