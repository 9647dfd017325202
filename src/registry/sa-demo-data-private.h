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
extern const char *const _sa_demo_ru_answers[];
extern const guint _sa_demo_ru_answers_len;
extern const char *const _sa_demo_kk_answers[];
extern const guint _sa_demo_kk_answers_len;
extern const char _sa_demo_ru_letter[];
extern const char _sa_demo_kk_letter[];
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

/* ─────────────────────────── The generator ─────────────────────────── */

struct _SaDemo
{
  SaReference               *ref;
  /* category_texts[i]'s category and streets[i]'s Kazakh form, from ref */
  const SaReferenceCategory **categories;
  const char                **street_kk;
  guint                      *cumulative;
  guint                      total_weight;
  guint                      channel_total;
  GArray                    *users;    /* SaDemoUser */
  GPtrArray                 *strings;  /* what users and street_kk point to */
  GHashTable                *staff;    /* agency code → Staff */
  SaCalendar                *calendar;
};

/* Who works on an agency's appeals. */
typedef struct
{
  GPtrArray  *workers;     /* logins of its executors (ksk_managers at a KSK/OSI) */
  const char *supervisor;
} Staff;

/* splitmix64: tiny, fast, and the same sequence on every machine, so that
 * appeal N is the same appeal in every demo database made at one `now`. */
typedef struct
{
  guint64 state;
} Rng;

static inline guint64
rng_next (Rng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static inline guint
rng_below (Rng   *rng,
           guint  n)
{
  return (guint) (((rng_next (rng) >> 32) * (guint64) n) >> 32);
}

static inline guint
rng_range (Rng   *rng,
           guint  lo,
           guint  hi)
{
  return lo + rng_below (rng, hi - lo + 1);
}

static inline double
rng_unit (Rng *rng)
{
  return (double) (rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

static inline gboolean
rng_percent (Rng   *rng,
             guint  percent)
{
  return rng_below (rng, 100) < percent;
}

#define RNG_PICK(rng, array) ((array)[rng_below ((rng), G_N_ELEMENTS (array))])
/* The same for one of the text tables, which carry their length beside them. */
#define RNG_PICK_TEXT(rng, table) ((table)[rng_below ((rng), table##_len)])

#define DAY (24 * 60 * 60)

/* People (sa-demo-people.c): applicants' names and the agencies' staff */
typedef struct
{
  const SaDemoName       *first;
  const SaDemoName       *surname;
  const SaDemoPatronymic *father;
  gboolean                female;
  gboolean                kazakh;
} Person;

void      _sa_demo_person_pick        (Rng          *rng,
                                       gboolean      kazakh,
                                       Person       *person);
gboolean  _sa_demo_surname_declines   (const char   *surname);
void      _sa_demo_person_append_name (const Person *person,
                                       gboolean      kk_spelling,
                                       GString      *s);
void      _sa_demo_build_users        (SaDemo       *demo);

/* Almaty's clock and calendar, and when appeals come in (sa-demo-time.c) */
gint32    _sa_demo_almaty_offset      (gint64                    t);
void      _sa_demo_civil_from_days    (gint64                    days,
                                       guint                    *month,
                                       guint                    *day);
gboolean  _sa_demo_in_heating_season  (guint                     month,
                                       guint                     day);
gint64    _sa_demo_pick_received_at   (Rng                      *rng,
                                       gint64                    now,
                                       const SaDemoCategoryText *text);

/* The appeal's deadline (sa-demo-data.c) and its life after intake
 * (sa-demo-history.c) */
gint64    _sa_demo_due_at             (SaDemo                    *demo,
                                       const SaReferenceCategory *category,
                                       gint64                     received);
void      _sa_demo_live               (SaDemo                    *demo,
                                       Rng                       *fate,
                                       Rng                       *own,
                                       const SaReferenceCategory *category,
                                       gint64                     now,
                                       SaDemoAppeal              *a);

G_END_DECLS
