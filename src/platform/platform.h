/*
** Platform routes and services shared by all modules: health, metrics, OpenAPI, dashboard,
** attachments, reference code tables and their loading, and the route table of the app.
*/
#ifndef ENVGOV_PLATFORM_PLATFORM_H
#define ENVGOV_PLATFORM_PLATFORM_H

#include "http/http.h"
#include "platform/module.h"

void platform_routes(struct router *rt);
void attach_routes(struct router *rt);
/* Store d's bytes under DATA/attachments/xx/<sha256> once (content-addressed; a blob that is
   there is kept) and fsync them, so an attachment row inserted afterwards never outlives its
   bytes. For modules that make attachments themselves (documents); 0 or ERR_IO. */
int attach_blob_store(const char *sha256, const struct buf *d);
/* Whether a file of content_type with bytes d may be attached: the type is one of the
   upload_types setting and the leading bytes agree with it (for modules that take files on
   routes of their own: the public complaint form's photos). */
bool attach_file_ok(const char *content_type, const struct buf *d);
/* Remove the blobs no attachment row names that nobody wrote or reused for grace_s seconds (the
   bytes of an upload or a document whose transaction rolled back), and leftover .tmp files as
   old; part of the job store.maintain. attach_blob_store touches a blob it reuses, so a blob an
   open transaction is about to name is never old. *removed gets how many; 0, or the store's
   error. */
int attach_blobs_sweep(struct store *s, int64_t now_s, int64_t grace_s, int *removed);
/* Load the embedded code tables (regions, industries, pollutants) when their tables are
   empty, and the embedded calendar years that the database lacks. */
int refdata_seed(struct store *s, char *err, size_t errcap);
/* Load the calendar years stored in the database into app.cal. */
int refdata_load_calendar(struct store *s, char *err, size_t errcap);

/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module platform_module;

#endif
