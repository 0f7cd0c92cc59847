# kaoping — build, test and benchmark targets. Generated files live in $(B).
CC      ?= cc
SAN     ?=
# SAN=1: AddressSanitizer and UndefinedBehaviorSanitizer; SAN=thread: ThreadSanitizer.
B       := build$(if $(filter 1,$(SAN)),/san)$(if $(filter thread,$(SAN)),/tsan)
CFLAGS_BASE := -std=gnu11 -D_GNU_SOURCE -pthread -O2 -g -Wall -Wextra -Werror -Isrc -I$(B)/gen -MMD -MP
ifeq ($(SAN),1)
CFLAGS_BASE += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(SAN),thread)
CFLAGS_BASE += -O1 -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS += -fsanitize=thread
endif
CFLAGS  := $(CFLAGS_BASE) $(EXTRA_CFLAGS)
GENFLAGS := $(filter-out -Wextra,$(CFLAGS)) -Wno-unused-function -Wno-sign-compare
LDLIBS  := -lm -pthread

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ := $(patsubst src/%.c,$(B)/obj/%.o,$(LIB_SRC)) $(B)/obj/parser.o $(B)/obj/lexer.o
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(patsubst tests/unit/%.c,$(B)/tests/%,$(TEST_SRC))
STDLIB   := $(wildcard stdlib/*.kp)
# Rule files whose test blocks `make test` runs (kaoping test).
SCHEMES  := $(wildcard rules/*.kp) $(wildcard examples/*/scheme.kp) $(STDLIB)

.PHONY: all deps demo test unit golden rule-tests browser test-san test-tsan bench gen clean format format-check fuzz fuzz-run
all: $(B)/kaoping

deps:
	@scripts/deps.sh

$(B)/gen/parser.c $(B)/gen/parser.h: grammar/parser.y
	@mkdir -p $(B)/gen
	bison -Wall -Werror --defines=$(B)/gen/parser.h -o $(B)/gen/parser.c $<

$(B)/gen/lexer.c $(B)/gen/lexer.h: grammar/lexer.l $(B)/gen/parser.h
	@mkdir -p $(B)/gen
	flex --header-file=$(B)/gen/lexer.h -o $(B)/gen/lexer.c $<

# The standard library is embedded so the installed binary finds it without flags.
$(B)/gen/stdlib_data.c: $(STDLIB) scripts/embed.sh
	@mkdir -p $(B)/gen
	scripts/embed.sh $(STDLIB) > $@

$(B)/obj/parser.o: $(B)/gen/parser.c $(B)/gen/lexer.h
	@mkdir -p $(B)/obj
	$(CC) $(GENFLAGS) -c -o $@ $<
$(B)/obj/lexer.o: $(B)/gen/lexer.c $(B)/gen/parser.h
	@mkdir -p $(B)/obj
	$(CC) $(GENFLAGS) -c -o $@ $<
$(B)/obj/stdlib_data.o: $(B)/gen/stdlib_data.c
	@mkdir -p $(B)/obj
	$(CC) $(GENFLAGS) -c -o $@ $<
$(B)/obj/%.o: src/%.c $(B)/gen/parser.h $(B)/gen/lexer.h
	@mkdir -p $(B)/obj
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libkaoping.a: $(LIB_OBJ) $(B)/obj/stdlib_data.o
	rm -f $@ && ar rcs $@ $^

$(B)/kaoping: $(B)/obj/main.o $(B)/libkaoping.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/kpgen: tools/kpgen.c
	@mkdir -p $(B)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libkaoping.a
	@mkdir -p $(B)/tests
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libkaoping.a -lcriterion $(LDLIBS)

demo: deps
	@$(MAKE) --no-print-directory $(B)/kaoping
	$(B)/kaoping run examples/annual/scheme.kp --data examples/annual/data

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $$t --jobs 2 --short-filename; done

golden: $(B)/kaoping $(B)/kpgen
	tests/run_golden.sh $(B)/kaoping
	tests/cli_test.sh $(B)/kaoping $(B)/kpgen
	tests/doc_test.sh $(B)/kaoping
	tests/diff_test.sh $(B)/kaoping $(B)/kpgen
	tests/readme_test.sh $(B)/kaoping
	tests/fmt_test.sh $(B)/kaoping
	tests/docs_test.sh $(B)/kaoping
	$(B)/kaoping test $(SCHEMES)

# Only the tests written in the shipped rule files.
rule-tests: $(B)/kaoping
	$(B)/kaoping test $(SCHEMES)

# The HTML report of `kaoping diff` in headless Chromium, when it is installed
# (.ci/run installs it); leaves a screenshot in build/diff-report.png.
browser: build/kaoping
	tests/browser/report_test.sh build/kaoping build/diff-report.png

test-san:
	@$(MAKE) --no-print-directory SAN=1 unit golden

# The threaded parts of a run under ThreadSanitizer (Criterion's runner does
# not run under it, so tests/tsan_test.sh runs the binary on generated data).
test-tsan:
	@$(MAKE) --no-print-directory SAN=thread build/tsan/kaoping
	@$(MAKE) --no-print-directory build/kpgen
	tests/tsan_test.sh build/tsan/kaoping build/kpgen

# The whole suite: unit and golden tests (with the tests in the shipped rule
# files) and the browser test, then unit and golden tests again under
# ASan+UBSan, then the threaded parts under ThreadSanitizer.
test: deps
	@$(MAKE) --no-print-directory unit golden browser
	@$(MAKE) --no-print-directory test-san
	@$(MAKE) --no-print-directory test-tsan
	@echo "all tests passed"

golden-update: $(B)/kaoping
	UPDATE=1 tests/run_golden.sh $(B)/kaoping

bench: $(B)/kaoping $(B)/kpgen
	scripts/bench.sh

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c tools/*.c

format-check:
	clang-format --dry-run -Werror src/*.c src/*.h tests/unit/*.c tools/*.c

# libFuzzer harness over parsing + resolving (not part of `test`; needs clang).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?=
FUZZ_GEN     := build/gen/parser.c build/gen/lexer.c build/gen/stdlib_data.c
FUZZ_SEEDS   := $(wildcard rules/*.kp examples/*/*.kp stdlib/*.kp tests/errors/*/*.kp tests/golden/*/*.kp)

fuzz: build/fuzz/fuzz_check

build/fuzz/fuzz_check: tests/fuzz/fuzz_check.c $(LIB_SRC) $(wildcard src/*.h) $(FUZZ_GEN) build/gen/parser.h build/gen/lexer.h
	@mkdir -p build/fuzz
	$(FUZZ_CC) -std=gnu11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -Ibuild/gen \
		-o $@ tests/fuzz/fuzz_check.c $(LIB_SRC) $(FUZZ_GEN) -lm

fuzz-run: build/fuzz/fuzz_check
	@mkdir -p build/fuzz/corpus build/fuzz/artifacts
	@for f in $(FUZZ_SEEDS); do cp "$$f" "build/fuzz/corpus/seed_$$(echo "$$f" | tr '/' '_')"; done
	build/fuzz/fuzz_check -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-dict=tests/fuzz/rules.dict -artifact_prefix=build/fuzz/artifacts/ $(FUZZ_FLAGS) build/fuzz/corpus

clean:
	rm -rf build

-include $(wildcard $(B)/obj/*.d) $(wildcard $(B)/tests/*.d)
