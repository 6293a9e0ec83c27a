# toesd: one plain Makefile. The user's CC, CPPFLAGS, CFLAGS and LDFLAGS are
# honoured; the flags the code needs live in TOES_* variables on top.

# make install: toesctl to BINDIR, the daemon toesd to SBINDIR, the
# manual pages to MANDIR; DESTDIR for staging. Each can come from the
# command line or the environment.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=
INSTALL ?= install
# make static (STATIC=1 in its sub-make): musl-gcc, and a default CFLAGS
# for size; a packager's own CC and CFLAGS still win when given.
MUSL_GCC ?= musl-gcc
ifeq ($(STATIC),1)
CFLAGS ?= -Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables
TOES_CC = $(MUSL_GCC)
else
CFLAGS ?= -O2 -g
TOES_CC = $(CC)
endif
BUILD ?= build

TOES_WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wmissing-declarations -Wpointer-arith -Wcast-qual -Wformat=2 \
	-Wundef -Wvla -Wno-unused-parameter
TOES_CPPFLAGS = -D_GNU_SOURCE -Isrc
TOES_CFLAGS = -std=c11 $(TOES_WARN)
TOES_LDFLAGS =

# make WERROR=1: warnings are errors (make test and CI); distributions build without.
ifeq ($(WERROR),1)
TOES_CFLAGS += -Werror
endif
# make static's sub-make: linked static (the kernel headers' links, see
# static below).
ifeq ($(STATIC),1)
TOES_CPPFLAGS += -isystem $(BUILD)/kinc
TOES_LDFLAGS += -static -Wl,--gc-sections
endif
# make SANITIZE=1: AddressSanitizer + UndefinedBehaviorSanitizer.
# toesd and the unit tests also get LeakSanitizer's strict mode there: what
# they still hold at exit is a leak (tests/san/lsan_strict.c).
ifeq ($(SANITIZE),1)
TOES_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
TOES_LDFLAGS += -fsanitize=address,undefined
STRICT_LSAN = $(BUILD)/obj/lsan_strict.o
endif

ALL_CFLAGS = $(TOES_CPPFLAGS) $(CPPFLAGS) $(TOES_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(TOES_LDFLAGS) $(LDFLAGS)

# src/base, parse, app and serve (and toesd/ less its main) make one
# library that both mains and the unit tests link; see the README's layout.
MAINS = src/toesd/main.c src/toesctl/main.c
HEADERS = $(wildcard src/*/*.h)
LIB_SRC = $(filter-out $(MAINS),$(wildcard src/*/*.c))
LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FIXTURE_SRC = $(wildcard tests/fixtures/*.c)
FIXTURE_BIN = $(FIXTURE_SRC:tests/fixtures/%.c=$(BUILD)/fixtures/%)
# Sample programs for the runner's own test (tests/integration/t_runner.sh).
META_SRC = $(wildcard tests/meta/*.c)
META_BIN = $(META_SRC:tests/meta/%.c=$(BUILD)/meta/%)

.PHONY: all clean install uninstall static test test-build demo bench fuzz

all: $(BUILD)/toesd $(BUILD)/toesctl

$(BUILD)/obj/%.o: src/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(TOES_CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libtoes.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/obj/lsan_strict.o: tests/san/lsan_strict.c
	@mkdir -p $(@D)
	$(TOES_CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/toesd: $(BUILD)/obj/toesd/main.o $(BUILD)/libtoes.a $(STRICT_LSAN)
	$(TOES_CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS)

$(BUILD)/toesctl: $(BUILD)/obj/toesctl/main.o $(BUILD)/libtoes.a
	$(TOES_CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS)

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libtoes.a $(STRICT_LSAN)
	@mkdir -p $(@D)
	$(TOES_CC) $(ALL_CFLAGS) -o $@ $< $(STRICT_LSAN) $(BUILD)/libtoes.a $(ALL_LDFLAGS)

$(BUILD)/fixtures/%: tests/fixtures/%.c
	@mkdir -p $(@D)
	$(TOES_CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS)

$(BUILD)/meta/%: tests/meta/%.c tests/unit/check.h $(STRICT_LSAN)
	@mkdir -p $(@D)
	$(TOES_CC) $(ALL_CFLAGS) -o $@ $< $(STRICT_LSAN) $(ALL_LDFLAGS)

# Everything the tests need, in one build directory.
test-build: all $(UNIT_BIN) $(FIXTURE_BIN) $(META_BIN)

# The tests run twice: a -Werror build, then one under ASan + UBSan.
# The two builds compile TEST_BUILD_JOBS files at once (make test -jN
# sets its own).
TEST_BUILD_JOBS ?= 2
test:
	$(MAKE) -j$(TEST_BUILD_JOBS) WERROR=1 BUILD=build test-build
	$(MAKE) -j$(TEST_BUILD_JOBS) WERROR=1 SANITIZE=1 BUILD=build/san test-build
	sh tests/run.sh build build/san

demo: all
	sh scripts/demo.sh

bench:
	$(MAKE) BUILD=build test-build
	@mkdir -p build/bench
	for f in tests/bench/*.c; do \
		$(TOES_CC) $(ALL_CFLAGS) -o build/bench/$$(basename $$f .c) $$f $(ALL_LDFLAGS) || exit 1; \
	done
	sh scripts/bench.sh

# make fuzz: libFuzzer targets for every parser (needs clang; not part of
# make test). FUZZ_SECONDS per target, default 60.
include tests/fuzz/fuzz.mk

# Never stripped: a distribution strips (or keeps debug files) itself.
# install builds what is out of date first; to copy the binaries of BUILD
# as they are, add -o $(BUILD)/toesd -o $(BUILD)/toesctl (the test does).
install: all
	$(INSTALL) -d "$(DESTDIR)$(SBINDIR)" "$(DESTDIR)$(BINDIR)" \
		"$(DESTDIR)$(MANDIR)/man8" "$(DESTDIR)$(MANDIR)/man1"
	$(INSTALL) -m 0755 $(BUILD)/toesd "$(DESTDIR)$(SBINDIR)/toesd"
	$(INSTALL) -m 0755 $(BUILD)/toesctl "$(DESTDIR)$(BINDIR)/toesctl"
	$(INSTALL) -m 0644 man/toesd.8 "$(DESTDIR)$(MANDIR)/man8/toesd.8"
	$(INSTALL) -m 0644 man/toesctl.1 "$(DESTDIR)$(MANDIR)/man1/toesctl.1"

# The files install put there; the folders stay (others share them).
uninstall:
	rm -f "$(DESTDIR)$(SBINDIR)/toesd" "$(DESTDIR)$(BINDIR)/toesctl" \
		"$(DESTDIR)$(MANDIR)/man8/toesd.8" "$(DESTDIR)$(MANDIR)/man1/toesctl.1"

# make static: static binaries with musl into $(BUILD)/static (SPEC §13:
# at most 150 KB). MUSL_GCC names the compiler (the default CFLAGS there
# is for size, above); the link flags static needs are a project
# variable, added to the user's LDFLAGS. musl-gcc wrappers that see no
# kernel headers (Debian's) get theirs through links in
# $(BUILD)/static/kinc to KERNEL_HEADERS.
KERNEL_HEADERS ?= /usr/include
STATIC_DIR = $(BUILD)/static

static:
	@if ! command -v $(MUSL_GCC) >/dev/null 2>&1; then \
		echo "make static: $(MUSL_GCC) not found; install musl (Debian, Ubuntu: apt-get install musl-tools) or set MUSL_GCC" >&2; \
		exit 1; \
	fi
	@mkdir -p $(STATIC_DIR)/kinc
	@if ! echo '#include <linux/inet_diag.h>' | $(MUSL_GCC) -E -x c - >/dev/null 2>&1; then \
		if [ ! -d $(KERNEL_HEADERS)/linux ]; then \
			echo "make static: $(MUSL_GCC) sees no Linux headers and $(KERNEL_HEADERS)/linux is missing; install them (Debian: linux-libc-dev) or set KERNEL_HEADERS" >&2; \
			exit 1; \
		fi; \
		ma=$$(cc -print-multiarch 2>/dev/null); \
		for d in linux asm-generic; do ln -sfn $(KERNEL_HEADERS)/$$d $(STATIC_DIR)/kinc/$$d; done; \
		if [ -d $(KERNEL_HEADERS)/$$ma/asm ]; then asm=$(KERNEL_HEADERS)/$$ma/asm; else asm=$(KERNEL_HEADERS)/asm; fi; \
		ln -sfn $$asm $(STATIC_DIR)/kinc/asm; \
	fi
	$(MAKE) BUILD=$(STATIC_DIR) STATIC=1 SANITIZE= all
	@for f in toesd toesctl; do \
		echo "$(STATIC_DIR)/$$f: $$(wc -c <$(STATIC_DIR)/$$f) bytes (not stripped)"; \
	done

clean:
	rm -rf build
