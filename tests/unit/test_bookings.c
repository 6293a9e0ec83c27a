/* test_bookings: ports kept for the app that had them last (SPEC §4.1):
 * given to others only when no unbooked port is free, with the taker told;
 * a taker that moves gives its old booking up. */
#include "check.h"
#include "app/ports.h"

/* The taker of each ports_take call, and what it heard. */
struct taker {
	int busy;            /* a port a stranger listens on (0: none) */
	int asked[16];
	size_t nasked;
	int taken_over[4];
	size_t ntaken_over;
};

static int fake_busy(void *ctx, int port)
{
	struct taker *t = ctx;
	if (t->nasked < 16) {
		t->asked[t->nasked++] = port;
	}
	return port == t->busy;
}

static void on_taken_over(void *ctx, int port)
{
	struct taker *t = ctx;
	if (t->ntaken_over < 4) {
		t->taken_over[t->ntaken_over++] = port;
	}
}

static int take(struct ports *p, int preferred, struct taker *t)
{
	t->nasked = t->ntaken_over = 0;
	return ports_take(p, preferred, fake_busy, NULL, t);
}

static void test_released_port_stays_booked(void)
{
	struct ports p;
	struct taker t = { 0 };
	CHECK_INT(ports_init(&p, 3001, 3005), 0);
	ports_keep_bookings(&p, on_taken_over);
	CHECK_INT(take(&p, 0, &t), 3001);
	CHECK_INT(take(&p, 0, &t), 3002);
	CHECK_INT(take(&p, 0, &t), 3003);
	ports_release(&p, 3002);
	CHECK_INT(ports_is_used(&p, 3002), 0);
	CHECK_INT(ports_is_booked(&p, 3002), 1);
	/* Another app: the lowest port nobody booked, not 3002. */
	CHECK_INT(take(&p, 0, &t), 3004);
	CHECK_INT(t.ntaken_over, 0);
	/* Its owner comes back to it. */
	CHECK_INT(take(&p, 3002, &t), 3002);
	CHECK_INT(t.ntaken_over, 0);
	ports_free(&p);
}

static void test_taken_over_when_full(void)
{
	struct ports p;
	struct taker t = { 0 };
	CHECK_INT(ports_init(&p, 3001, 3003), 0);
	ports_keep_bookings(&p, on_taken_over);
	CHECK_INT(take(&p, 0, &t), 3001);
	CHECK_INT(take(&p, 0, &t), 3002);
	CHECK_INT(take(&p, 0, &t), 3003);
	ports_release(&p, 3003);
	ports_release(&p, 3001);
	/* Every free port is booked: the lowest goes, and the taker hears it. */
	CHECK_INT(take(&p, 0, &t), 3001);
	CHECK_INT(t.ntaken_over, 1);
	CHECK_INT(t.taken_over[0], 3001);
	/* Each port was asked about once, over both passes. */
	CHECK_INT(t.nasked, 1);
	CHECK_INT(take(&p, 0, &t), 3003);
	CHECK_INT(t.ntaken_over, 1);
	CHECK_INT(take(&p, 0, &t), 0);
	CHECK_INT(t.ntaken_over, 0);
	ports_free(&p);
}

static void test_booked_busy_skipped(void)
{
	struct ports p;
	struct taker t = { .busy = 3001 };
	CHECK_INT(ports_init(&p, 3001, 3002), 0);
	ports_keep_bookings(&p, on_taken_over);
	CHECK_INT(ports_book(&p, 3001), 0);
	CHECK_INT(ports_book(&p, 3002), 0);
	/* 3001 is booked and busy: 3002 is taken over, 3001 asked once. */
	CHECK_INT(take(&p, 0, &t), 3002);
	CHECK_INT(t.ntaken_over, 1);
	CHECK_INT(t.taken_over[0], 3002);
	CHECK_INT(t.nasked, 2);
	ports_free(&p);
}

static void test_moving_gives_booking_up(void)
{
	struct ports p;
	struct taker t = { .busy = 3001 };
	CHECK_INT(ports_init(&p, 3001, 3003), 0);
	ports_keep_bookings(&p, on_taken_over);
	CHECK_INT(ports_book(&p, 3001), 0);
	/* Its old port is busy with a stranger: it moves, and 3001 is free
	 * for anyone. */
	CHECK_INT(take(&p, 3001, &t), 3002);
	CHECK_INT(ports_is_booked(&p, 3001), 0);
	CHECK_INT(ports_is_booked(&p, 3002), 1);
	/* No port at all: it keeps its booking while it waits. */
	struct ports q;
	struct taker u = { .busy = 4001 };
	CHECK_INT(ports_init(&q, 4001, 4001), 0);
	ports_keep_bookings(&q, on_taken_over);
	CHECK_INT(ports_book(&q, 4001), 0);
	CHECK_INT(take(&q, 4001, &u), 0);
	CHECK_INT(ports_is_booked(&q, 4001), 1);
	ports_free(&q);
	ports_free(&p);
}

static void test_book_and_unbook(void)
{
	struct ports p;
	CHECK_INT(ports_init(&p, 3001, 3005), 0);
	ports_keep_bookings(&p, NULL);
	CHECK_INT(ports_book(&p, 3003), 0);
	CHECK_INT(ports_book(&p, 3003), -1);
	CHECK_INT(ports_book(&p, 3000), -1);
	CHECK_INT(ports_book(&p, 3006), -1);
	CHECK_INT(ports_book(&p, 0), -1);
	CHECK_INT(ports_is_booked(&p, 3003), 1);
	CHECK_INT(ports_is_booked(&p, 80), 0);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 3001);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 3002);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 3004);
	/* The app that booked it is gone: the port is anyone's. */
	ports_unbook(&p, 3003);
	ports_unbook(&p, 80);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 3003);
	/* NULL taken_over: still taken over, nobody told. */
	ports_release(&p, 3001);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 3005);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 3001);
	ports_free(&p);
}

static void test_without_bookings(void)
{
	/* A pool that keeps none gives a released port at once. */
	struct ports p;
	CHECK_INT(ports_init(&p, 3001, 3003), 0);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 3001);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 3002);
	ports_release(&p, 3001);
	CHECK_INT(ports_is_booked(&p, 3001), 0);
	CHECK_INT(ports_take(&p, 0, NULL, NULL, NULL), 3001);
	ports_free(&p);
}

int main(void)
{
	RUN(test_released_port_stays_booked);
	RUN(test_taken_over_when_full);
	RUN(test_booked_busy_skipped);
	RUN(test_moving_gives_booking_up);
	RUN(test_book_and_unbook);
	RUN(test_without_bookings);
	return CHECK_EXIT();
}
