/* Whole-file reads and writes, and a check macro, for the C test programs of
   tests/capi (plain C99 and libc: what a C ABI user has). */
#ifndef ZKACC_TESTS_CAPI_TEST_FILES_H
#define ZKACC_TESTS_CAPI_TEST_FILES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures = 0;

#define CHECK(cond)                                                    \
  do {                                                                 \
    if (!(cond)) {                                                     \
      fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); \
      ++test_failures;                                                 \
    }                                                                  \
  } while (0)

/* dir/name, read whole; a NUL is appended (not counted in *size) so text
   files can be used as strings. Exits on failure: the fixture must exist. */
static inline unsigned char* read_fixture(const char* dir, const char* name, unsigned long long* size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  const long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char* data = malloc((size_t)n + 1);
  if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  fclose(f);
  data[n] = 0;
  *size = (unsigned long long)n;
  return data;
}

static inline void write_text(const char* dir, const char* name, const char* text) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "wb");
  if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(2);
  }
}

#endif
