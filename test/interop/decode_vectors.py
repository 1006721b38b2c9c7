#!/usr/bin/env python3
"""A second reader of the Hoody Vault format, written from docs/vault-format.md alone (PyNaCl).

Input (a JSON file, argv[1]): only what a reader would hold: the passphrase and recovery key text,
the keyring records, a scope's entries as the server lists them, and the bytes of a local copy and
of an outbox with their account ids. Output (stdout, JSON): everything it opened. The vitest test
test/interop/decode-vectors.test.ts compares that output with the inputs the vectors were made from.
"""
import base64
import hashlib
import json
import re
import struct
import sys
import unicodedata

import nacl.bindings as sodium
import nacl.pwhash

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FILE_PREFIX = '{"hv":1,"f":'


class CannotOpen(Exception):
    pass


def b64(text):
    """Standard base64 with padding, strictly."""
    if not isinstance(text, str) or len(text) % 4 != 0 or not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", text):
        raise CannotOpen("not standard base64")
    return base64.b64decode(text, validate=True)


def kdf(key, ctx):
    """crypto_kdf_derive_from_key(32, 1, ctx, key) as keyed BLAKE2b (spec, Notation)."""
    salt = struct.pack("<Q", 1) + bytes(8)
    personal = ctx.encode("ascii") + bytes(8)
    return sodium.crypto_generichash_blake2b_salt_personal(b"", 32, key=key, salt=salt, person=personal)


def aead_open(key, nonce, ad, ciphertext):
    try:
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(ciphertext, ad.encode("utf-8"), nonce, key)
    except Exception as error:  # nacl.exceptions.CryptoError
        raise CannotOpen("tag check failed") from error


def parse_recovery_key(text):
    compact = re.sub(r"[\s-]", "", text.upper())
    compact = re.sub(r"^HVRK", "", compact).replace("I", "1").replace("L", "1").replace("O", "0")
    if len(compact) != 56 or any(c not in CROCKFORD for c in compact):
        raise CannotOpen("recovery key: wrong length or character")
    number = 0
    for c in compact:
        number = number * 32 + CROCKFORD.index(c)
    raw = number.to_bytes(35, "big")
    key, check = raw[:32], raw[32:]
    if hashlib.blake2b(key, digest_size=16).digest()[:3] != check:
        raise CannotOpen("recovery key: checksum")
    return key


def unwrap(record_text, passphrase=None, recovery_key=None):
    record = json.loads(record_text)
    if record.get("format") != "hoody-vault-keyring" or record.get("v") != 1:
        raise CannotOpen("not a keyring record v1")
    vault_id = record["vault_id"]  # the base64 text itself goes into the additional data
    if passphrase is not None:
        p = record["passphrase"]
        if p["kdf"] != "argon2id13":
            raise CannotOpen("unknown kdf")
        password = unicodedata.normalize("NFC", passphrase).encode("utf-8")
        kek = nacl.pwhash.argon2id.kdf(32, password, b64(p["salt"]), opslimit=p["opslimit"], memlimit=p["memlimit"])
        return aead_open(kek, b64(p["nonce"]), "hoody-vault/keyring/v1/passphrase/" + vault_id, b64(p["wrapped_key"])), p
    r = record["recovery"]
    return aead_open(kdf(recovery_key, "hvrecov1"), b64(r["nonce"]), "hoody-vault/keyring/v1/recovery/" + vault_id, b64(r["wrapped_key"])), None


def open_secret(kv, realm_id, key, value):
    envelope = json.loads(value)
    if envelope.get("hv") != 1 or not isinstance(envelope.get("n"), str) or not isinstance(envelope.get("c"), str):
        raise CannotOpen("not a sealed value")
    revision = envelope.get("r")
    if revision is None:  # written before revisions
        ad = "hoody-vault/value/v1\n%s\n%s" % (realm_id, key)
    elif isinstance(revision, int) and not isinstance(revision, bool) and 1 <= revision <= 9007199254740991:
        ad = "hoody-vault/value/v1r\n%s\n%s\n%d" % (realm_id, key, revision)
    else:
        raise CannotOpen("bad revision")
    return aead_open(kv, b64(envelope["n"]), ad, b64(envelope["c"])).decode("utf-8")


def open_realm_names(kv, entry):
    # "Realm names": a sealed value under _hv.realm-names in the global scope; its plaintext is JSON.
    document = json.loads(open_secret(kv, "", "_hv.realm-names", entry["value"]))
    if document.get("format") != "hoody-vault-realm-names" or document.get("v") != 1:
        raise CannotOpen("not a realm names document")
    return {realm_id: record["name"] for realm_id, record in document["names"].items() if record["name"] is not None}


def open_file(kf, realm_id, key, value):
    if not value.startswith(FILE_PREFIX):
        raise CannotOpen("not a sealed file")
    envelope = json.loads(value)
    chunk = envelope["f"]
    if not isinstance(chunk, int) or not 1 <= chunk <= 16777216:
        raise CannotOpen("chunk size")
    stream = b64(envelope["s"])
    ad = ("hoody-vault/file/v1\n%s\n%s" % (realm_id, key)).encode("utf-8")
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, stream[:24], kf)
    out, at, final = [], 24, False
    while at < len(stream):
        if final:
            raise CannotOpen("data after the final chunk")
        piece = stream[at:at + chunk + 17]
        at += len(piece)
        try:
            message, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, piece, ad)
        except Exception as error:
            raise CannotOpen("chunk tag check failed") from error
        final = tag == sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
        out.append(message)
    if not final:
        raise CannotOpen("truncated: no final chunk")
    return b"".join(out)


def open_meta(km, realm_id, key, metadata):
    sealed = b64(metadata["sealed"])
    plain = aead_open(km, sealed[:24], "hoody-vault/meta/v1\n%s\n%s" % (realm_id, key), sealed[24:])
    opened = json.loads(plain.decode("utf-8"))
    # The clear kind and size are hints: when sealed copies exist, they must agree.
    for field in ("kind", "size"):
        if field in opened and opened.pop(field) != metadata.get(field):
            raise CannotOpen("clear %s does not match the sealed one" % field)
    return opened


def open_entry(keys, entry):
    """Reading step 4 and 5: by the metadata's kind."""
    realm_id, key, value, metadata = entry["realm_id"], entry["key"], entry["value"], entry["metadata"]
    kind = metadata.get("kind") if isinstance(metadata, dict) and metadata.get("hv") == 1 else None
    opened = {"realm_id": realm_id, "key": key, "kind": kind or "foreign"}
    if kind == "secret":
        opened["plaintext"] = open_secret(keys["value"], realm_id, key, value)
    elif kind == "file":
        content = open_file(keys["file"], realm_id, key, value)
        opened["plaintext_b64"] = base64.b64encode(content).decode("ascii")
    if kind in ("secret", "file"):
        opened["meta"] = open_meta(keys["meta"], realm_id, key, metadata)
        if kind == "file" and hashlib.sha256(content).hexdigest() != opened["meta"].get("sha256"):
            raise CannotOpen("sha256 does not match")
        # Bound to its name: under another key it must not open.
        try:
            (open_secret(keys["value"], realm_id, key + "x", value) if kind == "secret" else open_file(keys["file"], realm_id, key + "x", value))
            opened["opens_under_another_key"] = True
        except CannotOpen:
            opened["opens_under_another_key"] = False
    return opened


def open_hvs(data, cache_key, ad):
    if data[:4] != b"HVS1":
        raise CannotOpen("not an HVS1 file")
    return json.loads(aead_open(cache_key, data[4:28], ad, data[28:]).decode("utf-8"))


def open_hvf(data, key, ad, length):
    """A file of a copy (revision 1.2): HVF1, a secretstream header, 64 KiB chunks of the value, the last FINAL."""
    if data[:4] != b"HVF1":
        raise CannotOpen("not an HVF1 file")
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, data[4:28], key)
    out, at, final = [], 28, False
    while at < len(data):
        if final:
            raise CannotOpen("data after the final chunk")
        piece = data[at:at + 65536 + 17]
        at += len(piece)
        try:
            message, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, piece, ad.encode("utf-8"))
        except Exception as error:
            raise CannotOpen("chunk tag check failed") from error
        final = tag == sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
        out.append(message)
    if not final:
        raise CannotOpen("truncated: no final chunk")
    value = b"".join(out).decode("ascii")
    if len(value) != length:
        raise CannotOpen("length does not match the index")
    return value


def open_copy_with_files(given, keys, account_folder):
    """Revision 1.2: the index (copies/<scope>.hvs) names each file's value kept in copies/<scope>.files/."""
    account_id, realm_id = given["account_id"], given["realm_id"]
    scope = realm_id or "global"
    index = open_hvs(b64(given["file_b64"]), keys["cache"], "hoody-vault/copy/v1\n%s\n%s" % (account_id, realm_id))
    on_disk = {f["path"]: b64(f["file_b64"]) for f in given["files"]}
    k_file, k_name = kdf(keys["cache"], "hvcfile1"), kdf(keys["cache"], "hvcname1")
    values, paths = dict(index["values"]), []
    for key, kept in index.get("files", {}).items():
        message = ("%s\n%s\n%s" % (realm_id, key, kept["updated_at"])).encode("utf-8")
        name = hashlib.blake2b(message, digest_size=16, key=k_name).hexdigest() + ".hvf"
        path = "%s/copies/%s.files/%s" % (account_folder, scope, name)
        paths.append(path)
        ad = "hoody-vault/copy-file/v1\n%s\n%s\n%s\n%s" % (account_id, realm_id, key, kept["updated_at"])
        values[key] = open_hvf(on_disk[path], k_file, ad, kept["length"])
        # Bound to its key and version: under another version it must not open.
        try:
            open_hvf(on_disk[path], k_file, ad + "x", kept["length"])
            raise CannotOpen("a copied file opens under another version")
        except CannotOpen as error:
            if "another version" in str(error):
                raise
    return {"path": "%s/copies/%s.hvs" % (account_folder, scope), "content": index, "file_paths": sorted(paths),
            "entries": [open_entry(keys, dict(e, value=values[e["key"]])) for e in index["entries"]]}


def main():
    given = json.load(open(sys.argv[1], encoding="utf-8"))
    recovery_key = parse_recovery_key(given["recovery_key"])
    keyrings, vault_key = [], None
    for record in given["keyrings"]:
        by_passphrase, params = unwrap(record, passphrase=given["passphrase"])
        by_recovery, _ = unwrap(record, recovery_key=recovery_key)
        try:
            unwrap(record, passphrase=given["passphrase"] + "!")
            wrong_opens = True
        except CannotOpen:
            wrong_opens = False
        keyrings.append({"opslimit": params["opslimit"], "memlimit": params["memlimit"], "vault_key_hex": by_passphrase.hex(),
                         "by_recovery_hex": by_recovery.hex(), "wrong_passphrase_opens": wrong_opens})
        vault_key = by_passphrase
    keys = {name: kdf(vault_key, ctx) for name, ctx in
            (("value", "hvvalue1"), ("meta", "hvmeta01"), ("file", "hvfile01"), ("cache", "hvcache1"))}

    copy, outbox = given["local_copy"], given["outbox"]
    account_folder = "accounts/" + hashlib.sha256(copy["account_id"].encode("utf-8")).hexdigest()[:24]
    scope = copy["realm_id"] or "global"
    copy_content = open_hvs(b64(copy["file_b64"]), keys["cache"], "hoody-vault/copy/v1\n%s\n%s" % (copy["account_id"], copy["realm_id"]))
    outbox_content = open_hvs(b64(outbox["file_b64"]), keys["cache"], "hoody-vault/outbox/v1\n" + outbox["account_id"])
    # Since revision 1.1 the outbox is {generation, ops}; before, the bare list of ops.
    outbox_ops = outbox_content["ops"] if isinstance(outbox_content, dict) else outbox_content
    outbox_opened = [open_entry(keys, {"realm_id": op["realmId"], "key": op["key"], "value": op["value"], "metadata": op["metadata"]})
                     for op in outbox_ops if op["op"] == "save"]
    with_files = given.get("local_copy_with_files")
    with_files_opened = open_copy_with_files(with_files, keys, account_folder) if with_files else None
    later = given.get("outbox_with_generation")
    later_content = open_hvs(b64(later["file_b64"]), keys["cache"], "hoody-vault/outbox/v1\n" + later["account_id"]) if later else None

    json.dump({
        "recovery_key_hex": recovery_key.hex(),
        "subkeys_hex": {name: key.hex() for name, key in keys.items()},
        "keyrings": keyrings,
        "entries": [open_entry(keys, entry) for entry in given["entries"]],
        "local_copy": {"path": "%s/copies/%s.hvs" % (account_folder, scope), "content": copy_content,
                       "entries": [open_entry(keys, dict(e, value=copy_content["values"][e["key"]])) for e in copy_content["entries"]]},
        "local_copy_with_files": with_files_opened,
        "outbox": {"path": account_folder + "/outbox.hvs", "content": outbox_content, "opened": outbox_opened},
        "outbox_with_generation": later_content,
        "realm_names": open_realm_names(keys["value"], given["realm_names"]) if "realm_names" in given else None,
    }, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
