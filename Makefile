# logdive — build, test, install.
#
#   make            build liblogdive.a, every tool in cmd/ and the generator
#   make check      install missing Debian packages (as root), build, run the tests
#   make check SANITIZE=1   the same under AddressSanitizer + UBSan
#   make fuzz FUZZ_SECONDS=60 FUZZ_JOBS=1   every fuzz target under
#                   libFuzzer (clang), ASan and UBSan, for that long each,
#                   FUZZ_JOBS at a time (tests/fuzz/README)
#   make demo       generate example logs and run a real scoped dive on them
#   make bench      the benchmark against peer commands (see bench/README)
#   make install PREFIX=/usr/local DESTDIR=

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
SHAREDIR ?= $(PREFIX)/share/logdive
DESTDIR  ?=
VERSION  := 0.1.0

CC       ?= cc
PKGS     := libpcre2-8 libzstd jansson libarchive libcrypto readline yaml-0.1 zlib
OPT      ?= -O2
SANITIZE ?=

ifeq ($(SANITIZE),1)
B        ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      := -O1 -g
else ifeq ($(FUZZ),1)
# The fuzz build (make fuzz): clang, coverage for libFuzzer, ASan, UBSan.
CC       := clang
B        ?= build-fuzz
# FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (the name libFuzzer users
# share): smaller buffers where a reader has them (lib/input/src.h).
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined \
            -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
OPT      := -O2 -g
else
B        ?= build
SANFLAGS :=
endif

PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS   ?= $(OPT) -g
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter \
            -Ilib $(PKG_CFLAGS) $(SANFLAGS) -pthread \
            -DLD_VERSION='"$(VERSION)"' -DLD_SHAREDIR='"$(SHAREDIR)"'
# libbz2 has no pkg-config file: bzip2 is decoded with it directly, so
# that a block is checked before its lines are read (lib/input/src.c).
LDLIBS   += $(PKG_LIBS) -lbz2 -lm -pthread
LDFLAGS  += $(SANFLAGS)

LIB_SRC   := $(sort $(wildcard lib/*/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/builtin_formats.o \
             $(B)/gen/builtin_policies.o $(B)/gen/builtin_rules.o
FORMATS   := $(sort $(wildcard lib/format/formats/*.json))
POLICIES  := $(sort $(wildcard lib/redact/policies/*.json))
RULES     := $(sort $(wildcard lib/hunt/rules/gitlab/*.yml))
LIB       := $(B)/lib/liblogdive.a
CMD_SRC   := $(sort $(wildcard cmd/*.c))
CMD_COMMON:= $(filter cmd/cli%.c,$(CMD_SRC))
TOOL_SRC  := $(filter-out $(CMD_COMMON),$(CMD_SRC))
TOOLS     := $(TOOL_SRC:cmd/%.c=$(B)/bin/%)
CLI_OBJ   := $(CMD_COMMON:%.c=$(B)/%.o)
GEN_SRC   := $(sort $(wildcard testdata/*.c))
GENS      := $(GEN_SRC:testdata/%.c=$(B)/bin/%)
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))
UNITS     := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%.t)
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCHES   := $(BENCH_SRC:bench/%.c=$(B)/bin/%)
MANS      := $(sort $(wildcard man/*.[1-9]))
# Fuzz targets: tests/fuzz/fuzz_NAME.c.  Built with driver.c as a plain
# program ($(B)/tests/fuzz-NAME, run over the committed inputs by make
# check), and with libFuzzer by make fuzz ($(B)/fuzz/NAME).
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES:= $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_DRV  := $(FUZZ_NAMES:%=$(B)/tests/fuzz-%)
FUZZ_BINS := $(FUZZ_NAMES:%=$(B)/fuzz/%)
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1

all: $(LIB) $(TOOLS) $(GENS) $(UNITS) $(BENCHES) $(FUZZ_DRV)

$(B)/%.o: %.c $(wildcard lib/*/*.h) $(wildcard cmd/*.h) $(wildcard testdata/*.h) \
    $(wildcard tests/fuzz/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# The shipped format definitions are compiled in, so the tools work from
# the build tree; installed copies and --format-file can add or replace.
$(B)/gen/builtin_formats.c: $(FORMATS) Makefile
	@mkdir -p $(@D)
	@{ echo '/* generated from the files in lib/format/formats by the Makefile */'; \
	  echo 'const char *const ld_builtin_formats[] = {'; \
	  for f in $(FORMATS); do \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $$f; \
	    echo ','; \
	  done; echo '0 };'; } > $@

# The same for the redaction profiles: pairs of name and text.
$(B)/gen/builtin_policies.c: $(POLICIES) Makefile
	@mkdir -p $(@D)
	@{ echo '/* generated from the files in lib/redact/policies by the Makefile */'; \
	  echo '#include <stddef.h>'; \
	  echo 'const char *const ld_policy_builtin[][2] = {'; \
	  for f in $(POLICIES); do \
	    n=$${f##*/}; echo "{ \"$${n%.json}\","; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $$f; \
	    echo '},'; \
	  done; echo '{ NULL, NULL } };'; } > $@

# The same for the GitLab rule pack of ldhunt: pairs of name and text.
$(B)/gen/builtin_rules.c: $(RULES) Makefile
	@mkdir -p $(@D)
	@{ echo '/* generated from the files in lib/hunt/rules by the Makefile */'; \
	  echo '#include <stddef.h>'; \
	  echo 'const char *const ld_rules_builtin[][2] = {'; \
	  for f in $(RULES); do \
	    echo "{ \"rules/gitlab/$${f##*/}\","; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $$f; \
	    echo '},'; \
	  done; echo '{ NULL, NULL } };'; } > $@

$(B)/gen/%.o: $(B)/gen/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/bin/%: $(B)/cmd/%.o $(CLI_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(CLI_OBJ) $(LIB) $(LDLIBS)

$(B)/bin/%: $(B)/testdata/%.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LDLIBS)

$(B)/bin/%: $(B)/bench/%.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LDLIBS)

$(B)/tests/%.t: $(B)/tests/unit/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(B)/tests/fuzz-%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/fuzzutil.o \
    $(B)/tests/fuzz/driver.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/fuzz/%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/fuzzutil.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

# Each target for FUZZ_SECONDS over a copy of its corpus, FUZZ_JOBS at a
# time, then a line of executions, coverage and peak RSS per target;
# fails on any crash or report.
fuzz:
	@sh tests/deps.sh fuzz
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-build
	@sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_NAMES)

# 'check' first makes sure the build dependencies exist (installing them with
# apt-get when run as root), then re-enters make so that pkg-config is asked
# again after the install.
check:
	@sh tests/deps.sh
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory test

test:
	LD_BUILD=$(CURDIR)/$(B) LD_FORMATS=$(CURDIR)/lib/format/formats \
	  prove --exec 'sh $(CURDIR)/tests/run-one' $(PROVE_FLAGS) \
	  $(sort $(wildcard tests/t[0-9]*.sh)) $(UNITS)

demo:
	@sh tests/deps.sh
	@$(MAKE) --no-print-directory all
	@sh bench/demo.sh $(B)

bench:
	@sh tests/deps.sh bench
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh $(B)

lint-man:
	mandoc -Tlint -W warning $(MANS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/formats \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)
	install -m 644 $(FORMATS) $(DESTDIR)$(SHAREDIR)/formats
	install -d $(DESTDIR)$(SHAREDIR)/rules/gitlab
	install -m 644 $(RULES) $(DESTDIR)$(SHAREDIR)/rules/gitlab
	for m in $(MANS); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s; done
	for f in completions/*.bash; do [ -e "$$f" ] || continue; \
	  install -m 644 $$f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$(basename $$f .bash); done
	for f in completions/_*; do [ -e "$$f" ] || continue; \
	  install -m 644 $$f $(DESTDIR)$(PREFIX)/share/zsh/site-functions; done
	for f in completions/*.fish; do [ -e "$$f" ] || continue; \
	  install -m 644 $$f $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d; done

clean:
	rm -rf build build-san build-fuzz

.PHONY: all check test demo bench lint-man install clean fuzz fuzz-build
.SECONDARY:
