# envgov — the two set-up commands are `make run` and `make test`; the rest are helpers.
BUILD ?= build
DATA ?= envgov-data
HTTP ?= 127.0.0.1:8080
HJ212 ?= 127.0.0.1:9212

.PHONY: run test build bootstrap asan unit e2e browser fuzz lint format bench clean

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD)

run: build
	@if [ ! -f $(DATA)/envgov.db ]; then $(BUILD)/envgov demo --data $(DATA); fi
	@echo "envgov: open http://$(HTTP)/"
	$(BUILD)/envgov serve --data $(DATA) --http $(HTTP) --hj212 $(HJ212)

test: build
	@scripts/test-all

asan: bootstrap
	@cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DENVGOV_SANITIZE=ON >/dev/null
	@cmake --build build-asan

fuzz: bootstrap
	@CC=clang cmake -S . -B build-fuzz -G Ninja -DENVGOV_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build-fuzz

lint:
	@scripts/lint

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c')

# Every benchmark script in bench/ (each prints its figures; none is a pass/fail test).
bench: build
	@for b in bench/*.sh; do [ "$$b" = bench/lib.sh ] || "$$b" || exit 1; done

clean:
	rm -rf $(BUILD) build-asan build-fuzz test-output
