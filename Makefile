# Thin wrapper over meson: every target installs what is missing first.
BUILD    ?= build
SANBUILD ?= build-san

.PHONY: all deps build build-san check demo bench install clean

all: build

deps:
	@scripts/deps

$(BUILD)/build.ninja:
	meson setup $(BUILD)

$(SANBUILD)/build.ninja:
	meson setup $(SANBUILD) -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

build-san: deps $(SANBUILD)/build.ninja
	ninja -C $(SANBUILD)

# Unit tests (plain, ASan/UBSan, valgrind), fuzz corpora, then the namespace scenarios.
check: build build-san
	@tests/run --build $(BUILD) --san-build $(SANBUILD)

demo: build
	@tests/lab/demo.sh $(BUILD)

bench: build
	@bench/run $(BUILD)

install: build
	meson install -C $(BUILD) $(if $(DESTDIR),--destdir $(DESTDIR))

clean:
	rm -rf $(BUILD) $(SANBUILD)
