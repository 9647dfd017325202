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
  g_free (appeal->reply_text);
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
