/*
 * Puts the test keyring into states the app must survive, through libsecret (what keytar uses):
 *   keyring-tool store-binary SERVICE ACCOUNT  an item in keytar's schema whose secret is not text
 *                                              (libsecret's secret_value_get_text gives NULL for it:
 *                                              keytar's findCredentials then crashes the process)
 *   keyring-tool store SERVICE ACCOUNT SECRET  an ordinary text item, as keytar writes it
 *   keyring-tool lock                          locks the default collection (no prompt is needed to lock)
 *   keyring-tool store-locked SERVICE ACCOUNT  an item in a second collection, then locked: the keyring
 *                                              stays open but holds an item nobody can read without a
 *                                              prompt (keytar's findCredentials then crashes the process)
 * Built by the tests with `cc keyring-tool.c $(pkg-config --cflags --libs libsecret-1)`.
 */
#define SECRET_API_SUBJECT_TO_CHANGE
#include <libsecret/secret.h>
#include <stdio.h>
#include <string.h>

static const SecretSchema keytar_schema = {
  "org.freedesktop.Secret.Generic", SECRET_SCHEMA_NONE,
  { { "service", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "account", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

static int fail(const char *what, GError *error) {
  fprintf(stderr, "keyring-tool: %s: %s\n", what, error ? error->message : "failed");
  if (error) g_error_free(error);
  return 1;
}

static SecretCollection *default_collection(SecretService *service) {
  GError *error = NULL;
  SecretCollection *collection = secret_collection_for_alias_sync(service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, NULL, &error);
  if (!collection) fail("no default collection", error);
  return collection;
}

int main(int argc, char **argv) {
  GError *error = NULL;
  SecretService *service = secret_service_get_sync(SECRET_SERVICE_OPEN_SESSION | SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  if (!service) return fail("no Secret Service", error);

  if (argc == 4 && strcmp(argv[1], "store-binary") == 0) {
    SecretCollection *collection = default_collection(service);
    if (!collection) return 1;
    GHashTable *attributes = secret_attributes_build(&keytar_schema, "service", argv[2], "account", argv[3], NULL);
    static const guchar bytes[] = { 0xff, 0xfe, 0x00, 0x80, 0xc3 };
    SecretValue *value = secret_value_new((const gchar *)bytes, sizeof bytes, "application/octet-stream");
    SecretItem *item = secret_item_create_sync(collection, &keytar_schema, attributes, argv[3], value, SECRET_ITEM_CREATE_REPLACE, NULL, &error);
    if (!item) return fail("could not create the item", error);
    return 0;
  }
  if (argc == 5 && strcmp(argv[1], "store") == 0) {
    if (!secret_password_store_sync(&keytar_schema, SECRET_COLLECTION_DEFAULT, argv[3], argv[4], NULL, &error, "service", argv[2], "account", argv[3], NULL))
      return fail("could not store", error);
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "lock") == 0) {
    SecretCollection *collection = default_collection(service);
    if (!collection) return 1;
    GList *objects = g_list_append(NULL, collection);
    if (secret_service_lock_sync(service, objects, NULL, NULL, &error) < 1) return fail("could not lock", error);
    return 0;
  }
  if (argc == 4 && strcmp(argv[1], "store-locked") == 0) {
    /* A collection made without a prompt: GNOME Keyring's own interface for this, as its tests use. */
    GVariantBuilder props;
    g_variant_builder_init(&props, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&props, "{sv}", "org.freedesktop.Secret.Collection.Label", g_variant_new_string("hoody-test-locked"));
    SecretValue *password = secret_value_new("hoody-test-other", -1, "text/plain");
    GVariant *encoded = secret_service_encode_dbus_secret(service, password);
    GVariant *made = g_dbus_connection_call_sync(g_dbus_proxy_get_connection(G_DBUS_PROXY(service)), "org.freedesktop.secrets", "/org/freedesktop/secrets",
      "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface", "CreateWithMasterPassword", g_variant_new("(a{sv}@(oayays))", &props, encoded),
      G_VARIANT_TYPE("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    if (!made) return fail("could not create a second collection", error);
    const gchar *path = NULL;
    g_variant_get(made, "(&o)", &path);
    if (!secret_password_store_sync(&keytar_schema, path, argv[3], "unreadable-once-locked", NULL, &error, "service", argv[2], "account", argv[3], NULL))
      return fail("could not store in the second collection", error);
    SecretCollection *collection = secret_collection_new_for_dbus_path_sync(service, path, SECRET_COLLECTION_NONE, NULL, &error);
    if (!collection) return fail("could not open the second collection", error);
    GList *objects = g_list_append(NULL, collection);
    if (secret_service_lock_sync(service, objects, NULL, NULL, &error) < 1) return fail("could not lock", error);
    return 0;
  }
  fprintf(stderr, "usage: keyring-tool store-binary SERVICE ACCOUNT | store SERVICE ACCOUNT SECRET | store-locked SERVICE ACCOUNT | lock\n");
  return 2;
}
