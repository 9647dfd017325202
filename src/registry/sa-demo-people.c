/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sa-demo-data"

#include "config.h"

#include <string.h>

#include "sa-demo-data-private.h"

/* The demo's people: applicants' names in Russian and Kazakh spelling,
 * and each agency's executors and supervisor. */

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
