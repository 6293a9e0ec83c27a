# make fuzz: libFuzzer targets for the parsers (tests/fuzz/README.md).
# Needs clang with libFuzzer; skipped with one line when there is none.
# Not part of make test. Each target runs for FUZZ_SECONDS;
# FUZZ_TARGETS picks some ("make fuzz FUZZ_TARGETS='json envfile'");
# make fuzz-build only builds them.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= json pkg envfile httpstatus lines proto opts config statefile httphead
FUZZ_CFLAGS ?= -O1 -g
FUZZ_FLAGS ?=
FUZZ_RSS_MB ?= 1024

FUZZ_DIR = $(BUILD)/fuzz
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_ALL_CFLAGS = $(TOES_CPPFLAGS) -std=c11 $(TOES_WARN) $(FUZZ_CFLAGS) $(FUZZ_SAN)
# The parsers need only src/base and src/parse.
FUZZ_LIB_SRC = $(filter src/base/% src/parse/%,$(LIB_SRC))
FUZZ_LIB_OBJ = $(FUZZ_LIB_SRC:src/%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_BIN = $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

# Per target: the longest input (-max_len) and the seed folders, read after
# the scratch corpus build/fuzz/corpus/<target>, the only one libFuzzer writes.
# json and pkg: 64 KiB, not JSON_MAX_LEN (1 MiB): package.json files are a
# few KiB, the depth limit (64) is reached in 65 bytes, and every mutation
# and parse costs time linear in the length; the 1 MiB checks are unit-tested.
# httpstatus, lines: past their 8 KiB limits (HTTPSTATUS_MAX, LINES_MAX).
# proto: past PROTO_MAX_REQUEST (4096).
FUZZ_JSON_CORPUS = ../shared/corpus/json/test_parsing ../shared/corpus/json/test_transform
FUZZ_MAXLEN_json = 65536
FUZZ_SEEDS_json = tests/fuzz/seeds/json $(FUZZ_JSON_CORPUS)
FUZZ_MAXLEN_pkg = 65536
FUZZ_SEEDS_pkg = tests/fuzz/seeds/pkg $(FUZZ_JSON_CORPUS)
FUZZ_MAXLEN_envfile = 4096
FUZZ_SEEDS_envfile = tests/fuzz/seeds/envfile
FUZZ_MAXLEN_httpstatus = 10000
FUZZ_SEEDS_httpstatus = tests/fuzz/seeds/httpstatus
FUZZ_MAXLEN_lines = 20000
FUZZ_SEEDS_lines = tests/fuzz/seeds/lines
FUZZ_MAXLEN_proto = 4200
FUZZ_SEEDS_proto = tests/fuzz/seeds/proto
FUZZ_MAXLEN_opts = 256
FUZZ_SEEDS_opts = tests/fuzz/seeds/opts
FUZZ_MAXLEN_config = 1024
FUZZ_SEEDS_config = tests/fuzz/seeds/config
FUZZ_MAXLEN_statefile = 8192
FUZZ_SEEDS_statefile = tests/fuzz/seeds/statefile
FUZZ_MAXLEN_httphead = 10000

.PHONY: fuzz-build

# Probe only when asked to fuzz: a missing clang or libFuzzer is one line
# and exit 0.
ifneq ($(filter fuzz fuzz-build,$(MAKECMDGOALS)),)
FUZZ_PROBLEM := $(shell sh tests/fuzz/probe.sh '$(FUZZ_CC)' '$(FUZZ_DIR)')
endif
FUZZ_NEEDS = $(if $(FUZZ_PROBLEM),,$(FUZZ_BIN))

fuzz: $(FUZZ_NEEDS)
ifneq ($(FUZZ_PROBLEM),)
	@echo "make fuzz: skipped: $(FUZZ_PROBLEM)"
else
	@echo "make fuzz: $(words $(FUZZ_TARGETS)) targets, $(FUZZ_SECONDS) s each; logs in $(FUZZ_DIR)/logs"
	@status=0; \
	$(foreach t,$(FUZZ_TARGETS),FUZZ_FLAGS='$(FUZZ_FLAGS)' FUZZ_RSS_MB=$(FUZZ_RSS_MB) \
		sh tests/fuzz/run.sh $(t) $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_MAXLEN_$(t)) $(FUZZ_SEEDS_$(t)) || status=1;) \
	exit $$status
endif

fuzz-build: $(FUZZ_NEEDS)
ifneq ($(FUZZ_PROBLEM),)
	@echo "make fuzz-build: skipped: $(FUZZ_PROBLEM)"
endif

$(FUZZ_DIR)/obj/%.o: src/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/libtoes.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(FUZZ_LIB_OBJ)

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(HEADERS) $(FUZZ_DIR)/libtoes.a
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/libtoes.a
