/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-demo-data"

#include "config.h"

#include <string.h>

#include "sa-demo-data-private.h"
#include "sa-iin.h"
#include "sa-sla.h"

/* Almaty's demo content over the city's reference data: the people of its
 * agencies, and appeals generated from sentence fragments so that 100,000
 * of them still read differently. The demo is a working day as of the
 * moment it is made: appeals older than their deadlines are answered, most
 * of those in work still have time, each agency's executors share them.
 *
 * Demo passwords follow one scheme, printed by `init --demo` and listed in
 * the README: "demo-" followed by the role ("demo-executor",
 * "demo-supervisor", "demo-ksk_manager", "demo-curator", "demo-operator",
 * "demo-admin"). */

/* ─────────────────────────────── The demo ──────────────────────────── */

static void
staff_free (gpointer data)
{
  Staff *staff = data;

  g_ptr_array_unref (staff->workers);
  g_free (staff);
}

/* ─────────────────────────── Random numbers ────────────────────────── */

static guint
count_strings (const char *const *strv,
               guint              max)
{
  guint n = 0;

  while (n < max && strv[n] != NULL)
    n++;
  return n;
}

static const char *
pick_string (Rng               *rng,
             const char *const *strv,
             guint              max)
{
  guint n = count_strings (strv, max);

  return n > 0 ? strv[rng_below (rng, n)] : NULL;
}

/* ───────────────────────────── People ──────────────────────────────── */

void
_sa_demo_person_pick (Rng      *rng,
                      gboolean  kazakh,
                      Person   *person)
{
  person->female = rng_percent (rng, 52);
  person->kazakh = kazakh;
  if (kazakh)
    {
      person->first = person->female ? &RNG_PICK_TEXT (rng, _sa_demo_kz_female)
                                     : &RNG_PICK_TEXT (rng, _sa_demo_kz_male);
      person->surname = &RNG_PICK_TEXT (rng, _sa_demo_kz_surnames);
      person->father = &RNG_PICK_TEXT (rng, _sa_demo_kz_fathers);
    }
  else
    {
      person->first = person->female ? &RNG_PICK_TEXT (rng, _sa_demo_ru_female)
                                     : &RNG_PICK_TEXT (rng, _sa_demo_ru_male);
      person->surname = &RNG_PICK_TEXT (rng, _sa_demo_ru_surnames);
      person->father = &RNG_PICK_TEXT (rng, _sa_demo_ru_fathers);
    }
}

/* Works on both the Cyrillic and the Latin spelling. */
gboolean
_sa_demo_surname_declines (const char *surname)
{
  return g_str_has_suffix (surname, "ов") || g_str_has_suffix (surname, "ев") ||
         g_str_has_suffix (surname, "ёв") || g_str_has_suffix (surname, "ин") ||
         g_str_has_suffix (surname, "ov") || g_str_has_suffix (surname, "ev");
}

/* "Фамилия Имя Отчество" as registries write it; in Kazakh spelling with
 * -ұлы / -қызы when @kk_spelling. */
void
_sa_demo_person_append_name (const Person *person,
                             gboolean      kk_spelling,
                             GString      *s)
{
  const char *surname = kk_spelling ? person->surname->kk : person->surname->ru;

  g_string_append (s, surname);
  if (person->female && _sa_demo_surname_declines (surname))
    g_string_append (s, "а");
  g_string_append_c (s, ' ');
  g_string_append (s, kk_spelling ? person->first->kk : person->first->ru);
  g_string_append_c (s, ' ');
  if (kk_spelling && person->father->kk_m != NULL)
    g_string_append (s, person->female ? person->father->kk_f : person->father->kk_m);
  else
    g_string_append (s, person->female ? person->father->ru_f : person->father->ru_m);
}

/* ─────────────────────────────── Users ─────────────────────────────── */

static char *
person_full_name (guint    seed,
                  gboolean kazakh)
{
  Rng rng = { G_GUINT64_CONSTANT (0x51ed270b27a1c3e5) ^ seed };
  Person person;
  GString *s = g_string_new (NULL);

  _sa_demo_person_pick (&rng, kazakh, &person);
  _sa_demo_person_append_name (&person, FALSE, s);
  return g_string_free (s, FALSE);
}

/* The strings live in demo->strings, as long as the demo. */
/* The strings live in demo->strings, as long as the demo; the password is
 * "demo-" and the role. */
static void
add_user (SaDemo      *demo,
          char        *login,
          char        *full_name,
          const char  *agency,
          SaRole       role)
{
  char *password = g_strconcat ("demo-", sa_role_to_string (role), NULL);
  SaDemoUser user = { login, full_name, agency, sa_role_to_string (role), password };

  g_ptr_array_add (demo->strings, login);
  g_ptr_array_add (demo->strings, full_name);
  g_ptr_array_add (demo->strings, password);
  g_array_append_val (demo->users, user);
}

/* An agency gets executors for the share of appeals its categories draw:
 * eight at the heat networks, at least two anywhere. */
static guint
n_workers (SaDemo                  *demo,
           const SaReferenceAgency *agency)
{
  guint weight = 0;

  if (strcmp (agency->kind, "ksk_osi") == 0)
    return 2;
  for (guint i = 0; i < _sa_demo_category_texts_len; i++)
    if (strcmp (demo->categories[i]->agency, agency->code) == 0)
      weight += _sa_demo_category_texts[i].weight;
  return CLAMP (1 + (weight + 2) / 4, 2, 8);
}

void
_sa_demo_build_users (SaDemo *demo)
{
  const SaReferenceAgency *agencies;
  guint n_agencies;

  agencies = sa_reference_get_agencies (demo->ref, &n_agencies);
  for (guint a = 0; a < n_agencies; a++)
    {
      const SaReferenceAgency *agency = &agencies[a];
      g_autofree char *lower = g_ascii_strdown (agency->code, -1);
      gboolean ksk = strcmp (agency->kind, "ksk_osi") == 0;
      Staff *staff = g_new0 (Staff, 1);
      guint n = n_workers (demo, agency);

      staff->workers = g_ptr_array_new ();
      /* "executor.almaty-teplo", "executor2.almaty-teplo", …; about two in
       * three civil servants of Almaty have Kazakh names. */
      for (guint k = 0; k < n; k++)
        {
          g_autofree char *number = k > 0 ? g_strdup_printf ("%u", k + 1) : g_strdup ("");
          char *login = g_strconcat (ksk ? "manager" : "executor", number, ".", lower, NULL);

          add_user (demo, login, person_full_name (16 * a + k, (a * 7 + k * 5 + 1) % 3 != 0),
                    agency->code, ksk ? SA_ROLE_KSK_MANAGER : SA_ROLE_EXECUTOR);
          g_ptr_array_add (staff->workers, login);
        }
      staff->supervisor = g_strconcat ("supervisor.", lower, NULL);
      add_user (demo, (char *) staff->supervisor,
                person_full_name (16 * a + 15, (a * 5 + 2) % 3 != 0), agency->code,
                SA_ROLE_SUPERVISOR);
      g_hash_table_insert (demo->staff, (gpointer) agency->code, staff);
    }

  add_user (demo, g_strdup ("curator.city"), person_full_name (5001, TRUE),
            "AKIMAT-CITY", SA_ROLE_CURATOR);
  add_user (demo, g_strdup ("operator.ikomek-109"), person_full_name (5002, TRUE),
            "IKOMEK-109", SA_ROLE_OPERATOR);
  add_user (demo, g_strdup ("admin.digital"), person_full_name (5003, FALSE),
            "AKIMAT-DIGITAL", SA_ROLE_ADMIN);
}

/* ────────────────────────────── Time ───────────────────────────────── */

#define DAY (24 * 60 * 60)
#define DEMO_SPAN_DAYS 183

static gpointer
load_almaty (gpointer data)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Almaty");

  /* Without tzdata the demo still works, with appeals timed in UTC. */
  return tz != NULL ? tz : g_time_zone_new_utc ();
}

static GTimeZone *
almaty_tz (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_almaty, NULL);
}

gint32
_sa_demo_almaty_offset (gint64 t)
{
  GTimeZone *tz = almaty_tz ();
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, t);

  return interval >= 0 ? g_time_zone_get_offset (tz, interval) : 0;
}

/* Days since 1970-01-01 to a civil month and day (H. Hinnant's algorithm). */
void
_sa_demo_civil_from_days (gint64  days,
                          guint  *month,
                          guint  *day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  guint doe = (guint) (z - era * 146097);
  guint yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  guint doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  guint mp = (5 * doy + 2) / 153;

  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
}

gboolean
_sa_demo_in_heating_season (guint month,
                            guint day)
{
  return month >= 11 || month <= 3 || (month == 10 && day >= 15) || (month == 4 && day <= 15);
}

/* When an appeal came in: over the half year before @now, more of them
 * recently, mostly on working days in working hours (emergencies at any
 * hour), heating in the heating season and hot-water outages in summer. */
gint64
_sa_demo_pick_received_at (Rng                      *rng,
                           gint64                    now,
                           const SaDemoCategoryText *text)
{
  gint64 t = now;
  /* Out of season only when the half year before @now has (almost) none. */
  guint attempts = (text->flags & SA_DEMO_CAT_SEASON) != 0 ? 16 : 4;

  for (guint attempt = 0; attempt < attempts; attempt++)
    {
      double u = rng_unit (rng);
      guint age = (guint) (DEMO_SPAN_DAYS * (0.3 * u + 0.7 * u * u));
      gint64 base = now - (gint64) age * DAY;
      gint32 offset = _sa_demo_almaty_offset (base);
      gint64 local_day = (base + offset) / DAY;
      guint weekday = (guint) ((local_day + 3) % 7);  /* 0 is Monday */
      guint month, mday;
      guint second;

      _sa_demo_civil_from_days (local_day, &month, &mday);
      if ((text->flags & SA_DEMO_CAT_SEASON) != 0 && !_sa_demo_in_heating_season (month, mday) &&
          attempt + 1 < attempts)
        continue;
      if ((text->flags & SA_DEMO_CAT_SUMMER) != 0 && (month < 5 || month > 9) && attempt < 1)
        continue;
      if ((text->flags & SA_DEMO_CAT_SPRING) != 0 && (month < 4 || month > 6) && attempt < 1)
        continue;

      if ((text->flags & SA_DEMO_CAT_ANY_HOUR) != 0)
        second = rng_below (rng, DAY);
      else if (weekday < 5 && rng_percent (rng, 75))
        second = rng_range (rng, 9 * 3600, 18 * 3600 - 1);
      else if (weekday >= 5 && attempt + 2 < attempts && rng_percent (rng, 60))
        continue;  /* fewer appeals at weekends */
      else
        second = rng_range (rng, 7 * 3600, 23 * 3600 - 1);

      t = local_day * DAY + second - offset;
      break;
    }

  /* Today's appeals: not later than now. */
  if (t > now)
    t = now - rng_range (rng, 60, 3 * 3600);
  return t;
}

/* ──────────────────────────── Appeals ──────────────────────────────── */

static guint
pick_category (Rng          *rng,
               const SaDemo *demo)
{
  guint r = rng_below (rng, demo->total_weight);
  guint i = 0;

  while (demo->cumulative[i] <= r)
    i++;
  return i;
}

static SaChannel
pick_channel (Rng          *rng,
              const SaDemo *demo)
{
  guint r = rng_below (rng, demo->channel_total);
  guint i = 0;

  while (r >= _sa_demo_channels[i].weight)
    r -= _sa_demo_channels[i++].weight;
  return _sa_demo_channels[i].channel;
}

static SaPriority
pick_priority (Rng           *rng,
               SaCriticality  criticality)
{
  guint r = rng_below (rng, 100);

  switch (criticality)
    {
    case SA_CRITICALITY_EMERGENCY:
      return r < 85 ? SA_PRIORITY_CRITICAL : SA_PRIORITY_HIGH;
    case SA_CRITICALITY_HIGH:
      return r < 70 ? SA_PRIORITY_HIGH : r < 90 ? SA_PRIORITY_NORMAL : SA_PRIORITY_CRITICAL;
    case SA_CRITICALITY_NORMAL:
      return r < 75 ? SA_PRIORITY_NORMAL : r < 87 ? SA_PRIORITY_HIGH : SA_PRIORITY_LOW;
    case SA_CRITICALITY_LOW:
    default:
      return r < 60 ? SA_PRIORITY_LOW : SA_PRIORITY_NORMAL;
    }
}

static void
make_iin (Rng          *rng,
          const Person *person,
          char          iin[13])
{
  guint year = rng_range (rng, 1948, 2006);
  guint month = rng_range (rng, 1, 12);
  guint day = rng_range (rng, 1, 28);
  guint century = year >= 2000 ? (person->female ? 6 : 5) : (person->female ? 4 : 3);
  int check;

  /* About one 11-digit prefix in eleven has no check digit: draw again. */
  do
    {
      g_snprintf (iin, 13, "%02u%02u%02u%u%04u", year % 100, month, day, century,
                  rng_below (rng, 10000));
      check = sa_iin_check_digit (iin);
    }
  while (check < 0);
  iin[11] = (char) ('0' + check);
  iin[12] = '\0';
}

static char *
make_email (Rng          *rng,
            const Person *person,
            const char   *iin)
{
  GString *s = g_string_new (NULL);
  const char *first = person->first->lat;
  const char *surname = person->surname->lat;
  const char *a = person->female && _sa_demo_surname_declines (surname) ? "a" : "";

  switch (rng_below (rng, 4))
    {
    case 0:
      g_string_append_printf (s, "%s.%s%s", first, surname, a);
      break;
    case 1:
      g_string_append_printf (s, "%s%.2s", first, iin);
      break;
    case 2:
      g_string_append_printf (s, "%c.%s%s", first[0], surname, a);
      break;
    default:
      g_string_append_printf (s, "%s%s_%s%u", surname, a, first, rng_range (rng, 1, 99));
      break;
    }
  g_string_append_c (s, '@');
  g_string_append (s, RNG_PICK_TEXT (rng, _sa_demo_mail_domains));
  return g_string_free (s, FALSE);
}

typedef struct
{
  const char *addr;
  guint flat, entrance, floor, temp, days, hours, n, route, sum;
  guint time_h, time_m;
} Fill;

static void
append_thousands (GString *s,
                  guint    value)
{
  if (value >= 1000)
    g_string_append_printf (s, "%u %03u", value / 1000, value % 1000);
  else
    g_string_append_printf (s, "%u", value);
}

/* Copies @fragment with its {placeholders} filled in. */
static void
append_fragment (GString    *s,
                 const char *fragment,
                 const Fill *fill)
{
  const char *p = fragment;

  for (;;)
    {
      const char *open = strchr (p, '{');
      const char *close;
      gsize len;

      if (open == NULL)
        {
          g_string_append (s, p);
          return;
        }
      g_string_append_len (s, p, open - p);
      close = strchr (open, '}');
      g_assert (close != NULL);
      len = close - open - 1;

#define KEY(k) (len == sizeof (k) - 1 && memcmp (open + 1, k, len) == 0)
      if (KEY ("addr"))
        g_string_append (s, fill->addr);
      else if (KEY ("flat"))
        g_string_append_printf (s, "%u", fill->flat);
      else if (KEY ("entr"))
        g_string_append_printf (s, "%u", fill->entrance);
      else if (KEY ("floor"))
        g_string_append_printf (s, "%u", fill->floor);
      else if (KEY ("temp"))
        g_string_append_printf (s, "%u", fill->temp);
      else if (KEY ("days"))
        g_string_append_printf (s, "%u", fill->days);
      else if (KEY ("hours"))
        g_string_append_printf (s, "%u", fill->hours);
      else if (KEY ("n"))
        g_string_append_printf (s, "%u", fill->n);
      else if (KEY ("route"))
        g_string_append_printf (s, "%u", fill->route);
      else if (KEY ("sum"))
        append_thousands (s, fill->sum);
      else if (KEY ("time"))
        g_string_append_printf (s, "%02u:%02u", fill->time_h, fill->time_m);
      else
        g_assert_not_reached ();
#undef KEY
      p = close + 1;
    }
}

static void
append_sentence (GString    *s,
                 const char *fragment,
                 const Fill *fill)
{
  if (fragment == NULL || *fragment == '\0')
    return;
  if (s->len > 0)
    g_string_append_c (s, ' ');
  append_fragment (s, fragment, fill);
}

/* After "Со слов заявителя:" the caller's words go on in lower case, unless
 * they start with a name or an abbreviation ("КСК", "{addr}"). */
static void
append_problem (GString    *s,
                const char *fragment,
                const Fill *fill,
                gboolean    after_colon)
{
  gsize start = s->len + 1;
  gunichar first, second;
  const char *next;

  append_sentence (s, fragment, fill);
  if (!after_colon || start >= s->len || fragment[0] == '{')
    return;
  first = g_utf8_get_char (s->str + start);
  next = g_utf8_next_char (s->str + start);
  second = g_utf8_get_char (next);
  if (g_unichar_isupper (first) && (g_unichar_islower (second) || second == ' '))
    {
      char lower[6];
      gint len = g_unichar_to_utf8 (g_unichar_tolower (first), lower);

      /* Cyrillic capitals and small letters have the same UTF-8 length. */
      if (len == next - (s->str + start))
        memcpy (s->str + start, lower, len);
    }
}

/* How the street is written in a Russian text: "ул. Жандосова, 145". */
static char *
short_address (const SaDemoStreet *street,
               guint         house)
{
  const char *name = street->ru;
  const char *prefix = "";

  if (g_str_has_prefix (name, "улица "))
    {
      prefix = "ул. ";
      name += strlen ("улица ");
    }
  else if (g_str_has_prefix (name, "проспект "))
    {
      prefix = "пр. ";
      name += strlen ("проспект ");
    }
  return g_strdup_printf ("%s%s, %u", prefix, name, house);
}

static guint
pick_street (Rng      *rng,
             gboolean  flat,
             gboolean  managed)
{
  /* A few draws find a fitting one: most streets are apartment streets and
   * a quarter of them have a KSK/OSI. */
  for (;;)
    {
      guint i = rng_below (rng, _sa_demo_streets_len);

      if (flat && _sa_demo_streets[i].private_sector)
        continue;
      if (managed && _sa_demo_streets[i].ksk == NULL)
        continue;
      return i;
    }
}

static const char *
lift_company (const char *district)
{
  for (guint i = 0; i < _sa_demo_lift_companies_len; i++)
    if (strcmp (_sa_demo_lift_companies[i].district, district) == 0)
      return _sa_demo_lift_companies[i].agency;
  return NULL;
}

/* ─────────────────────────── Who and where ─────────────────────────── */

/* Each appeal draws from streams of its own, so that a repeat can take its
 * first appeal's applicant and address, and the flats of a cluster their
 * building, without drawing anything else the same. */
enum
{
  STREAM_SUBJECT,   /* category, place, applicant */
  STREAM_TIME,      /* when it came in */
  STREAM_KIND,      /* whether it repeats an earlier appeal */
  STREAM_FATE,      /* how far it got and who has it; shared by a cluster */
  STREAM_OWN,       /* the rest: channel, text, history */
  STREAM_CLUSTER,   /* a cluster's building, category and hour */
};

static Rng
rng_for (guint64 stream,
         guint64 n)
{
  Rng rng = { G_GUINT64_CONSTANT (0x5a17c0de00000000) ^ (stream << 52) ^
              (n * G_GUINT64_CONSTANT (0x2545f4914f6cdd1d)) };

  rng_next (&rng);
  return rng;
}

/* What an appeal is about, where, and who sends it. */
typedef struct
{
  guint    ci;        /* category_texts[] */
  guint    si;        /* streets[] */
  gboolean managed;   /* a KSK/OSI complaint about a house it manages */
  guint    house, floors, entrance, floor, flat;
  gboolean kk;
  Person   person;
  char     iin[13];
  char     phone[16];
} Subject;

static guint
text_index (const char *code)
{
  for (guint i = 0; i < _sa_demo_category_texts_len; i++)
    if (strcmp (_sa_demo_category_texts[i].code, code) == 0)
      return i;
  g_assert_not_reached ();
  return 0;
}

/* Flat, entrance and floor agree: four flats a floor, as in most Almaty
 * blocks; a block with lifts has at least nine floors. */
static void
pick_building (Rng      *rng,
               Subject  *s,
               gboolean  lifts)
{
  static const guint heights[] = { 5, 5, 9, 9, 12, 16 };

  s->house = rng_range (rng, 1, _sa_demo_streets[s->si].max_house);
  s->floors = heights[lifts ? rng_range (rng, 2, 5) : rng_below (rng, G_N_ELEMENTS (heights))];
  s->entrance = rng_range (rng, 1, s->floors >= 12 ? 3 : 6);
}

static void
pick_flat (Rng        *rng,
           Subject    *s,
           const char *code)
{
  s->floor = rng_range (rng, 2, s->floors);
  if (strcmp (code, "ksk.roof-leak") == 0)
    s->floor = s->floors;
  s->flat = ((s->entrance - 1) * s->floors + s->floor - 1) * 4 + rng_range (rng, 1, 4);
}

/* Kazakh-speaking applicants have Kazakh names; two in three of those
 * writing in Russian do too. */
static void
pick_applicant (Rng     *rng,
                Subject *s)
{
  s->kk = rng_percent (rng, 25);
  _sa_demo_person_pick (rng, s->kk || rng_percent (rng, 65), &s->person);
  make_iin (rng, &s->person, s->iin);
  g_snprintf (s->phone, sizeof s->phone, "+7%s%07u", RNG_PICK_TEXT (rng, _sa_demo_phone_codes),
              rng_below (rng, 10000000));
}

static void
plain_subject (SaDemo  *demo,
               guint64  index,
               Subject *s)
{
  Rng rng = rng_for (STREAM_SUBJECT, index);
  const SaReferenceCategory *category;

  s->ci = pick_category (&rng, demo);
  category = demo->categories[s->ci];
  /* KSK/OSI complaints mostly come from a house one of the demo
   * associations manages, and go to it. */
  s->managed = strcmp (category->sphere, "ksk") == 0 && rng_percent (&rng, 80);
  s->si = pick_street (&rng, (_sa_demo_category_texts[s->ci].flags & SA_DEMO_CAT_FLAT) != 0,
                       s->managed);
  pick_building (&rng, s, strcmp (category->sphere, "lifts") == 0);
  pick_flat (&rng, s, category->code);
  pick_applicant (&rng, s);
}

/* The deadline the desk counts down to: the nearer of the legal and the
 * operational one, as the registry computes them at intake. */
gint64
_sa_demo_due_at (SaDemo                    *demo,
                 const SaReferenceCategory *category,
                 gint64                     received)
{
  gint64 legal = sa_sla_legal_due (demo->calendar, received);
  gint64 operational = sa_sla_operational_due (demo->calendar, &category->regulation,
                                               SA_SLA_TARGET_RESOLUTION, received, NULL, 0);

  return MIN (legal, operational);
}

/* ─────────────────────── Clusters and repeats ──────────────────────── */

/* One building reported by several flats, every CLUSTER_PERIOD appeals. */
#define CLUSTER_PERIOD 200
#define REPEAT_PERCENT 4
#define REPEAT_LOOKBACK 60

typedef struct
{
  guint  size;
  gint64 start;      /* the first flat's appeal */
  guint  gaps[6];    /* seconds between the flats' appeals */
  Subject building;  /* category, street, house, floors, entrance */
} Cluster;

static guint
cluster_size (guint64 c)
{
  Rng rng = rng_for (STREAM_CLUSTER, c);

  return rng_range (&rng, 3, 6);
}

static gint64
cluster_of (guint64 index)
{
  guint64 c = index / CLUSTER_PERIOD;

  return index % CLUSTER_PERIOD < cluster_size (c) ? (gint64) c : -1;
}

static void
cluster_setup (SaDemo  *demo,
               guint64  c,
               gint64   now,
               Cluster *cl)
{
  /* What a whole entrance or building loses at once. */
  static const char *const problems[] = {
    "heating.no-heat", "heating.no-heat", "hot-water.none", "cold-water.none",
    "electricity.outage", "lifts.out-of-order",
  };
  Rng rng = rng_for (STREAM_CLUSTER, c);
  const SaReferenceCategory *category;
  guint ci;

  memset (cl, 0, sizeof *cl);
  cl->size = rng_range (&rng, 3, 6);
  ci = text_index (RNG_PICK (&rng, problems));
  category = demo->categories[ci];
  /* Half of them are today's news, still being dealt with. */
  if (rng_percent (&rng, 50))
    {
      gint64 hour_ago = now - 3600;
      gint64 span = _sa_demo_due_at (demo, category, hour_ago) - hour_ago;

      cl->start = now - (gint64) (span * (0.05 + 0.3 * rng_unit (&rng)));
    }
  else
    cl->start = _sa_demo_pick_received_at (&rng, now, &_sa_demo_category_texts[ci]);
  if (strcmp (category->sphere, "heating") == 0)
    {
      gint64 local_day = (cl->start + _sa_demo_almaty_offset (cl->start)) / DAY;
      guint month, mday;

      _sa_demo_civil_from_days (local_day, &month, &mday);
      if (!_sa_demo_in_heating_season (month, mday))
        ci = text_index ("hot-water.none");
    }
  cl->building.ci = ci;
  cl->building.si = pick_street (&rng, TRUE, FALSE);
  pick_building (&rng, &cl->building, strcmp (demo->categories[ci]->sphere, "lifts") == 0);
  for (guint m = 0; m < G_N_ELEMENTS (cl->gaps); m++)
    cl->gaps[m] = rng_range (&rng, 4 * 60, 40 * 60);
}

/* Whether @index is drawn to repeat the appeal @back places before it. */
static gboolean
repeat_draw (guint64  index,
             guint   *back)
{
  Rng rng = rng_for (STREAM_KIND, index);

  if (!rng_percent (&rng, REPEAT_PERCENT))
    return FALSE;
  *back = rng_range (&rng, 1, REPEAT_LOOKBACK);
  return *back <= index && cluster_of (index) < 0;
}

/* The first appeal @index repeats, or -1: an appeal that is neither in a
 * cluster nor a repeat itself, so that generating one never chains. */
static gint64
origin_of (guint64 index)
{
  guint back, other;
  guint64 j;

  if (!repeat_draw (index, &back))
    return -1;
  j = index - back;
  if (cluster_of (j) >= 0 || repeat_draw (j, &other))
    return -1;
  return (gint64) j;
}

/* ───────────────────────────── History ─────────────────────────────── */

static SaDemoEvent *
add_event (SaDemoAppeal *a,
           SaOpType      op,
           gint64        at,
           const char   *actor)
{
  SaDemoEvent *e;

  g_assert (a->n_events < SA_DEMO_MAX_EVENTS);
  e = &a->events[a->n_events++];
  e->op = op;
  e->at = at;
  e->actor = actor;
  return e;
}

/* By time; taken (or assigned) first when two share a second. */
static gint
compare_events (gconstpointer a,
                gconstpointer b,
                gpointer      data)
{
  const SaDemoEvent *x = a, *y = b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return (x->op != SA_OP_TAKE && x->op != SA_OP_ASSIGN) -
         (y->op != SA_OP_TAKE && y->op != SA_OP_ASSIGN);
}

static const char *
pick_worker (Rng         *rng,
             const Staff *staff)
{
  guint n = staff->workers->len;
  guint total = n * (3 * n + 1) / 2;  /* weights 2n, 2n-1, …, n+1 */
  guint r = rng_below (rng, total);
  guint k = 0;

  /* Loads differ, as they do in an office, but nobody holds them all. */
  while (r >= 2 * n - k)
    r -= 2 * n - k++;
  return g_ptr_array_index (staff->workers, k);
}

/* Open: out of every thousand appeals in each part of their time, how many
 * are still being worked on. Almost all young ones are; past the deadline
 * few are left, and none that is more than twice its time late. */
#define OPEN_GREEN   950
#define OPEN_YELLOW  800
#define OPEN_RED     250
#define OPEN_OVERDUE 30

/* How far the appeal got by @now, who has it and what its history says:
 * only the events the ops make; the ops that answer and close come with
 * replies and approval, so an answered or closed appeal's history ends
 * with the executor's last comment. */
void
_sa_demo_live (SaDemo                    *demo,
               Rng                       *fate,
               Rng                       *own,
               const SaReferenceCategory *category,
               gint64                     now,
               SaDemoAppeal              *a)
{
  const Staff *staff = g_hash_table_lookup (demo->staff, a->agency);
  gint64 received = a->received_at;
  gint64 due = _sa_demo_due_at (demo, category, received);
  gint64 age = now - received;
  double f = (double) age / (double) MAX (due - received, 1);
  guint open_permille = f < 0.5 ? OPEN_GREEN : f < 0.8 ? OPEN_YELLOW : f < 1.0 ? OPEN_RED
                        : f < 3.0 ? OPEN_OVERDUE : 0;
  gboolean open = age < 2 * 3600 || rng_below (fate, 1000) < open_permille;
  gboolean kk = strcmp (a->language, "kk") == 0;
  gint64 end, taken, reaction;
  const char *executor;
  guint r = rng_below (fate, 100);

  g_assert (staff != NULL);
  executor = pick_worker (fate, staff);
  a->priority = a->intake_priority;

  if (open)
    {
      end = now - 60;
      if (age < 30 * 60 || r < 14)
        a->status = SA_APPEAL_STATUS_REGISTERED;
      else if (r < 24 && age > 2 * 3600)
        a->status = SA_APPEAL_STATUS_INFO_REQUESTED;
      else if (r < 32 && f > 0.25)
        a->status = SA_APPEAL_STATUS_AWAITING_APPROVAL;
      else if (r < 35 && age > 3 * DAY && f < 0.8)
        a->status = SA_APPEAL_STATUS_REOPENED;
      else
        a->status = SA_APPEAL_STATUS_IN_PROGRESS;
    }
  else
    {
      /* Most are answered in time, some late. */
      if (rng_percent (fate, 92))
        end = received + (gint64) ((due - received) * (0.15 + 0.8 * rng_unit (fate)));
      else
        end = due + (gint64) ((due - received) * (0.02 + 0.5 * rng_unit (fate)));
      if (end > now - 600)
        end = received + (gint64) ((now - 600 - received) * (0.5 + 0.45 * rng_unit (fate)));
      a->answered_at = end;
      a->status = now - end < 3 * DAY && rng_percent (fate, 50) ? SA_APPEAL_STATUS_ANSWERED
                                                               : SA_APPEAL_STATUS_CLOSED;
    }
  if (a->status == SA_APPEAL_STATUS_REGISTERED)
    return;

  /* Taken (or assigned by the supervisor) within the reaction time, mostly. */
  a->executor = executor;
  reaction = sa_sla_operational_due (demo->calendar, &category->regulation,
                                     SA_SLA_TARGET_REACTION, received, NULL, 0);
  taken = received + (gint64) ((reaction - received) * (0.1 + 0.8 * rng_unit (own)));
  taken = CLAMP (taken, received + 60, received + (end - received) / 3);
  if (rng_percent (own, 60))
    add_event (a, SA_OP_TAKE, taken, executor);
  else
    add_event (a, SA_OP_ASSIGN, taken, staff->supervisor)->user = executor;

  /* Now and then a supervisor raises the priority. */
  if (a->priority < SA_PRIORITY_CRITICAL && rng_percent (own, 5))
    {
      a->priority++;
      add_event (a, SA_OP_SET_PRIORITY,
                 taken + (gint64) ((end - taken) * (0.05 + 0.25 * rng_unit (own))),
                 staff->supervisor)->priority = a->priority;
    }

  if (rng_percent (own, 70))
    add_event (a, SA_OP_COMMENT,
               taken + (gint64) ((end - taken) * (0.1 + 0.25 * rng_unit (own))),
               executor)->text = kk && rng_percent (own, 50)
                                 ? RNG_PICK_TEXT (own, _sa_demo_kk_progress)
                                 : RNG_PICK_TEXT (own, _sa_demo_ru_progress);

  if (a->status == SA_APPEAL_STATUS_INFO_REQUESTED || (!open && rng_percent (own, 12)))
    {
      gint64 asked = taken + (gint64) ((end - taken) * (0.4 + 0.2 * rng_unit (own)));

      add_event (a, SA_OP_REQUEST_INFO, asked, executor)->text =
        kk ? RNG_PICK_TEXT (own, _sa_demo_kk_info_requests)
           : RNG_PICK_TEXT (own, _sa_demo_ru_info_requests);
      /* No op records the applicant's answer yet: the executor notes it. */
      if (!open)
        add_event (a, SA_OP_COMMENT, asked + (gint64) ((end - asked) * 0.5), executor)->text =
          RNG_PICK_TEXT (own, _sa_demo_info_received);
    }

  if (a->status == SA_APPEAL_STATUS_REOPENED)
    add_event (a, SA_OP_COMMENT, taken + (gint64) ((end - taken) * 0.7), executor)->text =
      RNG_PICK_TEXT (own, _sa_demo_ru_reopened);
  else if (!open || a->status == SA_APPEAL_STATUS_AWAITING_APPROVAL)
    add_event (a, SA_OP_COMMENT, end - (gint64) ((end - taken) * (0.01 + 0.09 * rng_unit (own))),
               executor)->text = kk && rng_percent (own, 50)
                                 ? RNG_PICK_TEXT (own, _sa_demo_kk_done)
                                 : RNG_PICK_TEXT (own, _sa_demo_ru_done);

  /* Each event lies in its own part of [taken, end]; only the priority and
   * the first comment share one, and two events never share a second. */
  g_qsort_with_data (a->events, a->n_events, sizeof a->events[0], compare_events, NULL);
  for (guint i = 1; i < a->n_events; i++)
    if (a->events[i].at <= a->events[i - 1].at)
      a->events[i].at = a->events[i - 1].at + 1;
  g_assert (a->events[a->n_events - 1].at < now);
}

/**
 * sa_demo_appeal_generate:
 * @demo: the demo
 * @index: which appeal, from 0
 * @now: the unix time the demo is made at
 * @appeal: (out caller-allocates): filled in; free with sa_demo_appeal_clear()
 *
 * Describes demo appeal number @index as it stands at @now: received in the
 * half year before, worked on as an office would (most open appeals have
 * time left, few are late), with its history. Every 200 appeals a few flats
 * of one building report the same outage; about one appeal in 25 repeats an
 * earlier one of the same applicant within 15 days. The same @index and @now
 * always give the same appeal.
 */
void
sa_demo_appeal_generate (SaDemo       *demo,
                         guint         index,
                         gint64        now,
                         SaDemoAppeal *appeal)
{
  Rng own = rng_for (STREAM_OWN, index);
  Rng fate;
  const SaReferenceCategory *category;
  const SaDemoCategoryText *text;
  const SaDemoStreet *street;
  gboolean emergency, urgent, phone_call, kk;
  Subject subject;
  Fill fill;
  GString *s;
  g_autofree char *addr_kk = NULL;
  g_autofree char *addr_ru = NULL;

  g_return_if_fail (demo != NULL);
  g_return_if_fail (appeal != NULL);

  memset (appeal, 0, sizeof *appeal);
  appeal->cluster = cluster_of (index);
  appeal->repeat_of = origin_of (index);

  if (appeal->cluster >= 0)
    {
      /* A flat of the building: its own applicant, the building's problem. */
      Rng rng = rng_for (STREAM_SUBJECT, index);
      guint member = index % CLUSTER_PERIOD;
      Cluster cl;

      cluster_setup (demo, appeal->cluster, now, &cl);
      subject = cl.building;
      if (strcmp (demo->categories[subject.ci]->sphere, "lifts") != 0)
        subject.entrance = rng_range (&rng, 1, subject.floors >= 12 ? 3 : 6);
      pick_flat (&rng, &subject, demo->categories[subject.ci]->code);
      pick_applicant (&rng, &subject);
      appeal->received_at = cl.start;
      for (guint m = 0; m < member; m++)
        appeal->received_at += cl.gaps[m];
      appeal->received_at = MIN (appeal->received_at, now - 60 * (gint64) (cl.size - member));
      fate = rng_for (STREAM_FATE, G_GUINT64_CONSTANT (1) << 40 | (guint64) appeal->cluster);
    }
  else
    {
      gint64 origin_received = 0;

      if (appeal->repeat_of >= 0)
        {
          /* The same applicant about the same thing, days after the first. */
          Subject first;
          Rng time = rng_for (STREAM_TIME, (guint64) appeal->repeat_of);

          plain_subject (demo, (guint64) appeal->repeat_of, &first);
          origin_received = _sa_demo_pick_received_at (&time, now,
                                                       &_sa_demo_category_texts[first.ci]);
          if (origin_received < now - 2 * DAY)
            subject = first;
          else
            appeal->repeat_of = -1;
        }
      if (appeal->repeat_of >= 0)
        {
          gint64 latest = MIN (origin_received + 13 * DAY, now - 3600);

          appeal->received_at = origin_received + DAY +
                                (gint64) ((latest - origin_received - DAY) * rng_unit (&own));
        }
      else
        {
          Rng time = rng_for (STREAM_TIME, index);

          plain_subject (demo, index, &subject);
          appeal->received_at = _sa_demo_pick_received_at (&time, now,
                                                           &_sa_demo_category_texts[subject.ci]);
        }
      fate = rng_for (STREAM_FATE, index);
    }

  category = demo->categories[subject.ci];
  text = &_sa_demo_category_texts[subject.ci];
  street = &_sa_demo_streets[subject.si];
  kk = subject.kk;
  emergency = category->criticality == SA_CRITICALITY_EMERGENCY;
  urgent = emergency || (category->criticality == SA_CRITICALITY_HIGH &&
                         category->regulation.clock == SA_SLA_CLOCK_24X7);

  appeal->category = category->code;
  appeal->agency = category->agency;
  appeal->language = kk ? "kk" : "ru";
  if (subject.managed)
    appeal->agency = street->ksk;
  else if (strcmp (category->sphere, "lifts") == 0)
    appeal->agency = lift_company (street->district);
  appeal->district = street->district;

  /* Emergencies are mostly phoned in to 109. */
  appeal->channel = emergency && rng_percent (&own, 60) ? SA_CHANNEL_PHONE_109
                                                        : pick_channel (&own, demo);
  phone_call = appeal->channel == SA_CHANNEL_PHONE_109;

  appeal->address = g_strdup_printf ("%s, %u", street->ru, subject.house);
  addr_kk = g_strdup_printf ("%s, %u", demo->street_kk[subject.si], subject.house);
  addr_ru = short_address (street, subject.house);

  /* The apps (Open311, Open Almaty, the Telegram bot) send a map point. */
  if (rng_percent (&own, appeal->channel == SA_CHANNEL_OPEN311 ||
                         appeal->channel == SA_CHANNEL_OPEN_ALMATY ||
                         appeal->channel == SA_CHANNEL_TELEGRAM ? 90 : 25))
    {
      appeal->has_coordinates = TRUE;
      appeal->latitude = CLAMP (street->lat + (rng_unit (&own) - 0.5) * 0.008, 43.18, 43.35);
      appeal->longitude = CLAMP (street->lon + (rng_unit (&own) - 0.5) * 0.012, 76.75, 77.05);
    }

  s = g_string_new (NULL);
  _sa_demo_person_append_name (&subject.person, kk, s);
  appeal->applicant_name = g_string_free (s, FALSE);
  memcpy (appeal->applicant_iin, subject.iin, sizeof appeal->applicant_iin);
  memcpy (appeal->phone, subject.phone, sizeof appeal->phone);
  if (appeal->channel == SA_CHANNEL_EMAIL || rng_percent (&own, 30))
    appeal->email = make_email (&own, &subject.person, appeal->applicant_iin);

  appeal->intake_priority = pick_priority (&own, category->criticality);

  /* What. */
  fill.addr = kk ? addr_kk : addr_ru;
  fill.entrance = subject.entrance;
  fill.floor = subject.floor;
  fill.flat = subject.flat;
  fill.temp = rng_range (&own, 11, 16);
  fill.days = rng_range (&own, 2, 4);
  fill.hours = rng_range (&own, 3, 9);
  fill.n = rng_range (&own, 2, 4);
  fill.route = RNG_PICK_TEXT (&own, _sa_demo_bus_routes);
  fill.sum = rng_range (&own, 35, 650) * 100 + rng_below (&own, 10) * 10;
  fill.time_h = rng_range (&own, 6, 22);
  fill.time_m = rng_below (&own, 4) * 15;

  s = g_string_sized_new (320);
  if (phone_call)
    /* The 109 operator writes down what the caller said. */
    g_string_append (s, kk ? "Өтініш берушінің айтуынша:" : "Со слов заявителя:");
  if (appeal->repeat_of >= 0 && phone_call)
    g_string_append (s, kk ? " қайта хабарласып отыр, мәселе әлі шешілген жоқ."
                           : " обращается повторно, проблема до сих пор не решена.");
  else if (appeal->repeat_of >= 0)
    append_sentence (s, kk ? "Қайта жүгініп отырмын: мәселе әлі шешілген жоқ."
                           : "Обращаюсь повторно: проблема до сих пор не решена.", &fill);
  else if (!phone_call && rng_percent (&own, 60))
    append_sentence (s, kk ? RNG_PICK_TEXT (&own, _sa_demo_kk_openings)
                           : RNG_PICK_TEXT (&own, _sa_demo_ru_openings), &fill);

  if (kk)
    {
      append_problem (s, pick_string (&own, text->kk, G_N_ELEMENTS (text->kk)), &fill,
                      phone_call && appeal->repeat_of < 0);
      if (rng_percent (&own, 75))
        append_sentence (s, pick_string (&own, text->kk_more, G_N_ELEMENTS (text->kk_more)),
                         &fill);
      if (!phone_call && urgent && rng_percent (&own, 30))
        append_sentence (s, RNG_PICK_TEXT (&own, _sa_demo_kk_urgent_closings), &fill);
      else if (!phone_call && rng_percent (&own, 80))
        append_sentence (s, RNG_PICK_TEXT (&own, _sa_demo_kk_closings), &fill);
    }
  else
    {
      guint n_more = count_strings (text->ru_more, G_N_ELEMENTS (text->ru_more));
      guint first = n_more > 0 ? rng_below (&own, n_more) : 0;

      append_problem (s, pick_string (&own, text->ru, G_N_ELEMENTS (text->ru)), &fill,
                      phone_call && appeal->repeat_of < 0);
      if (n_more > 0 && rng_percent (&own, 80))
        append_sentence (s, text->ru_more[first], &fill);
      if (n_more > 1 && rng_percent (&own, 30))
        append_sentence (s, text->ru_more[(first + 1) % n_more], &fill);
      if (!phone_call && urgent && rng_percent (&own, 30))
        append_sentence (s, RNG_PICK_TEXT (&own, _sa_demo_ru_urgent_closings), &fill);
      else if (!phone_call && rng_percent (&own, 80))
        append_sentence (s, RNG_PICK_TEXT (&own, _sa_demo_ru_closings), &fill);
    }
  appeal->text = g_string_free (s, FALSE);

  /* How far it got. */
  _sa_demo_live (demo, &fate, &own, category, now, appeal);
}

/**
 * sa_demo_appeal_clear:
 * @appeal: an appeal filled by sa_demo_appeal_generate()
 *
 * Frees the strings @appeal owns and leaves it zeroed.
 */
void
sa_demo_appeal_clear (SaDemoAppeal *appeal)
{
  g_return_if_fail (appeal != NULL);

  g_free (appeal->text);
  g_free (appeal->applicant_name);
  g_free (appeal->email);
  g_free (appeal->address);
  memset (appeal, 0, sizeof *appeal);
}

/* ──────────────────────────── The demo ─────────────────────────────── */

static gboolean
missing (GError     **error,
         const char  *what,
         const char  *name)
{
  g_set_error (error, SA_REFERENCE_ERROR, SA_REFERENCE_ERROR_UNKNOWN,
               "The demo needs the %s “%s”, which the reference data do not have", what, name);
  return FALSE;
}

static gboolean
resolve (SaDemo  *demo,
         GError **error)
{
  guint sum = 0;

  for (guint i = 0; i < _sa_demo_category_texts_len; i++)
    {
      demo->categories[i] = sa_reference_find_category (demo->ref, _sa_demo_category_texts[i].code);
      if (demo->categories[i] == NULL)
        return missing (error, "category", _sa_demo_category_texts[i].code);
      sum += _sa_demo_category_texts[i].weight;
      demo->cumulative[i] = sum;
    }
  demo->total_weight = sum;
  for (guint i = 0; i < _sa_demo_channels_len; i++)
    demo->channel_total += _sa_demo_channels[i].weight;

  for (guint i = 0; i < _sa_demo_streets_len; i++)
    {
      const SaReferenceStreet *street =
        sa_reference_find_street (demo->ref, _sa_demo_streets[i].ru);

      if (street == NULL)
        return missing (error, "street", _sa_demo_streets[i].ru);
      /* The demo's houses lie in one of the districts the street runs through. */
      if (street->districts[0] != NULL &&
          !g_strv_contains ((const char * const *) street->districts, _sa_demo_streets[i].district))
        return missing (error, "district of the street", _sa_demo_streets[i].ru);
      if (_sa_demo_streets[i].ksk != NULL &&
          sa_reference_find_agency (demo->ref, _sa_demo_streets[i].ksk) == NULL)
        return missing (error, "agency", _sa_demo_streets[i].ksk);
      {
        char *kk = sa_reference_street_dup_kk (street);

        g_ptr_array_add (demo->strings, kk);
        demo->street_kk[i] = kk;
      }
    }
  for (guint i = 0; i < _sa_demo_lift_companies_len; i++)
    if (sa_reference_find_agency (demo->ref, _sa_demo_lift_companies[i].agency) == NULL)
      return missing (error, "agency", _sa_demo_lift_companies[i].agency);
  return TRUE;
}

/**
 * sa_demo_new:
 * @ref: the city's reference data
 * @error: return location for a #GError
 *
 * Makes the demo generator over @ref, which must have every category,
 * street and agency the demo's appeals speak of (Almaty's do).
 *
 * Returns: (transfer full) (nullable): the demo, or %NULL with
 *   %SA_REFERENCE_ERROR_UNKNOWN
 */
SaDemo *
sa_demo_new (SaReference  *ref,
             GError      **error)
{
  g_autoptr(SaDemo) demo = g_new0 (SaDemo, 1);

  g_return_val_if_fail (SA_IS_REFERENCE (ref), NULL);

  demo->ref = g_object_ref (ref);
  demo->strings = g_ptr_array_new_with_free_func (g_free);
  demo->users = g_array_new (FALSE, TRUE, sizeof (SaDemoUser));
  demo->staff = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, staff_free);
  demo->calendar = sa_calendar_new_default ();
  demo->categories = g_new0 (const SaReferenceCategory *, _sa_demo_category_texts_len);
  demo->street_kk = g_new0 (const char *, _sa_demo_streets_len);
  demo->cumulative = g_new0 (guint, _sa_demo_category_texts_len);
  if (!resolve (demo, error))
    return NULL;
  _sa_demo_build_users (demo);
  return g_steal_pointer (&demo);
}

void
sa_demo_free (SaDemo *demo)
{
  if (demo == NULL)
    return;
  g_clear_object (&demo->ref);
  g_clear_pointer (&demo->strings, g_ptr_array_unref);
  g_clear_pointer (&demo->users, g_array_unref);
  g_clear_pointer (&demo->staff, g_hash_table_unref);
  g_clear_object (&demo->calendar);
  g_free (demo->categories);
  g_free (demo->street_kk);
  g_free (demo->cumulative);
  g_free (demo);
}

SaReference *
sa_demo_get_reference (SaDemo *demo)
{
  g_return_val_if_fail (demo != NULL, NULL);
  return demo->ref;
}

/**
 * sa_demo_get_users:
 * @demo: the demo
 * @n_users: (out) (optional): the number of users
 *
 * Returns: (transfer none): for every agency two to eight executors (ksk_managers
 *   at a KSK/OSI; "executor.almaty-teplo", "executor2.almaty-teplo", …) and a
 *   supervisor, then a city curator, a 109 operator and an admin
 */
const SaDemoUser *
sa_demo_get_users (SaDemo *demo,
                   guint  *n_users)
{
  g_return_val_if_fail (demo != NULL, NULL);

  if (n_users != NULL)
    *n_users = demo->users->len;
  return (const SaDemoUser *) (gpointer) demo->users->data;
}
