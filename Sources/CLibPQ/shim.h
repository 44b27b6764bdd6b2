#ifndef BLANKETT_CLIBPQ_SHIM_H
#define BLANKETT_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#include <postgres_ext.h>

/* PG_DIAG_* are character macros Swift does not import; name the ones we read. */
static inline int blankett_pg_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
static inline int blankett_pg_diag_message_primary(void) { return PG_DIAG_MESSAGE_PRIMARY; }
static inline int blankett_pg_diag_constraint_name(void) { return PG_DIAG_CONSTRAINT_NAME; }

/* Silences libpq's default notice printer (it writes NOTICEs to stderr). */
static void blankett_pg_ignore_notice(void *arg, const char *message) { (void)arg; (void)message; }
static inline void blankett_pg_silence_notices(PGconn *conn) {
    PQsetNoticeProcessor(conn, blankett_pg_ignore_notice, 0);
}
#endif
