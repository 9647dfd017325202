/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sa-demo-data.h"

G_BEGIN_DECLS

/* Shared by the demo's files: the generator (sa-demo-data.c) and the
 * text tables it draws from (sa-demo-texts.c). Each table says its
 * length beside it, in TABLE_len. */

enum
{
  SA_DEMO_CAT_FLAT     = 1 << 0,  /* about a flat: an apartment building, never a private house */
  SA_DEMO_CAT_SEASON   = 1 << 1,  /* mostly in the heating season (15 October – 15 April) */
  SA_DEMO_CAT_SUMMER   = 1 << 2,  /* more often in summer (planned repairs of the heat mains) */
  SA_DEMO_CAT_ANY_HOUR = 1 << 3,  /* an emergency: reported at any hour, any day */
  SA_DEMO_CAT_SPRING   = 1 << 4,  /* more often in the spring rains (April – June) */
};

typedef struct
{
  const char *code;
  guint       weight;      /* relative frequency among appeals */
  guint       flags;
  const char *ru[4];       /* the problem; one is picked */
  const char *ru_more[4];  /* details; zero to two are added */
  const char *kk[3];
  const char *kk_more[3];
} SaDemoCategoryText;

/* The streets the demo's appeals come from, by their Russian form in the
 * gazetteer (streets.txt), with what the generator needs to know: where
 * along it the demo's houses are, how many there are, whether they are
 * private houses, and which KSK/OSI manages them. */
typedef struct
{
  const char *ru;         /* the gazetteer's Russian form: "проспект Достык" */
  const char *district;   /* one of the street's districts */
  double      lat, lon;   /* near where its houses are */
  guint       max_house;
  gboolean    private_sector;  /* houses, no flats or lifts */
  const char *ksk;        /* the KSK/OSI that manages it, if any */
} SaDemoStreet;

/* Which lift company serves a district (the agencies' "districts" say the same). */
typedef struct
{
  const char *district;
  const char *agency;
} SaDemoLiftCompany;

typedef struct
{
  const char *ru, *kk, *lat;
} SaDemoName;

typedef struct
{
  const char *ru_m, *ru_f;   /* Russian-style patronymic */
  const char *kk_m, *kk_f;   /* Kazakh-style -ұлы / -қызы, NULL for Russian fathers */
} SaDemoPatronymic;

typedef struct
{
  SaChannel channel;
  guint     weight;
} SaDemoChannel;

/* What applicants write, by category, and how they open and close */
extern const SaDemoCategoryText _sa_demo_category_texts[];
extern const guint _sa_demo_category_texts_len;
extern const char *const _sa_demo_ru_openings[];
extern const guint _sa_demo_ru_openings_len;
extern const char *const _sa_demo_ru_closings[];
extern const guint _sa_demo_ru_closings_len;
extern const char *const _sa_demo_ru_urgent_closings[];
extern const guint _sa_demo_ru_urgent_closings_len;
extern const char *const _sa_demo_kk_urgent_closings[];
extern const guint _sa_demo_kk_urgent_closings_len;
extern const char *const _sa_demo_kk_openings[];
extern const guint _sa_demo_kk_openings_len;
extern const char *const _sa_demo_kk_closings[];
extern const guint _sa_demo_kk_closings_len;

/* The streets, their lift companies, the bus routes */
extern const SaDemoStreet _sa_demo_streets[];
extern const guint _sa_demo_streets_len;
extern const SaDemoLiftCompany _sa_demo_lift_companies[];
extern const guint _sa_demo_lift_companies_len;
extern const guint _sa_demo_bus_routes[];
extern const guint _sa_demo_bus_routes_len;

/* Names */
extern const SaDemoName _sa_demo_kz_male[];
extern const guint _sa_demo_kz_male_len;
extern const SaDemoName _sa_demo_kz_female[];
extern const guint _sa_demo_kz_female_len;
extern const SaDemoName _sa_demo_kz_surnames[];
extern const guint _sa_demo_kz_surnames_len;
extern const SaDemoName _sa_demo_ru_male[];
extern const guint _sa_demo_ru_male_len;
extern const SaDemoName _sa_demo_ru_female[];
extern const guint _sa_demo_ru_female_len;
extern const SaDemoName _sa_demo_ru_surnames[];
extern const guint _sa_demo_ru_surnames_len;
extern const SaDemoPatronymic _sa_demo_kz_fathers[];
extern const guint _sa_demo_kz_fathers_len;
extern const SaDemoPatronymic _sa_demo_ru_fathers[];
extern const guint _sa_demo_ru_fathers_len;

/* Channels and contacts */
extern const SaDemoChannel _sa_demo_channels[];
extern const guint _sa_demo_channels_len;
extern const char *const _sa_demo_phone_codes[];
extern const guint _sa_demo_phone_codes_len;
extern const char *const _sa_demo_mail_domains[];
extern const guint _sa_demo_mail_domains_len;

/* What executors write in the history */
extern const char *const _sa_demo_ru_progress[];
extern const guint _sa_demo_ru_progress_len;
extern const char *const _sa_demo_kk_progress[];
extern const guint _sa_demo_kk_progress_len;
extern const char *const _sa_demo_ru_done[];
extern const guint _sa_demo_ru_done_len;
extern const char *const _sa_demo_kk_done[];
extern const guint _sa_demo_kk_done_len;
extern const char *const _sa_demo_ru_info_requests[];
extern const guint _sa_demo_ru_info_requests_len;
extern const char *const _sa_demo_kk_info_requests[];
extern const guint _sa_demo_kk_info_requests_len;
extern const char *const _sa_demo_info_received[];
extern const guint _sa_demo_info_received_len;
extern const char *const _sa_demo_ru_reopened[];
extern const guint _sa_demo_ru_reopened_len;

G_END_DECLS
