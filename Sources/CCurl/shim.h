#ifndef BLANKETT_CCURL_SHIM_H
#define BLANKETT_CCURL_SHIM_H
#include <curl/curl.h>
#include <sys/types.h>

/*
 * curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot
 * call. One typed wrapper per argument kind; the option decides which one
 * applies (see each option's man page: "long", "char *", "curl_off_t", …).
 */

static inline CURLcode blankett_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/* libcurl copies strings it is given (since 7.17.0), so the caller may free them afterwards. */
static inline CURLcode blankett_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode blankett_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode blankett_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/* A list option (CURLOPT_MAIL_RCPT, CURLOPT_HTTPHEADER): libcurl does not copy it; keep it alive until the transfer ends. */
static inline CURLcode blankett_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode blankett_curl_setopt_mime(CURL *handle, CURLoption option, curl_mime *value) {
    return curl_easy_setopt(handle, option, value);
}

/* CURLOPT_READFUNCTION: size_t (char *buffer, size_t size, size_t nitems, void *userdata). */
static inline CURLcode blankett_curl_setopt_read_callback(CURL *handle, CURLoption option, curl_read_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/* CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION: size_t (char *data, size_t size, size_t nitems, void *userdata). */
static inline CURLcode blankett_curl_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode blankett_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode blankett_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode blankett_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

/* CURL_GLOBAL_DEFAULT is a macro expression; name it. */
static inline long blankett_curl_global_default(void) { return CURL_GLOBAL_DEFAULT; }

#endif
