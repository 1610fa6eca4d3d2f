/* Checks an Open Badges 3.0 credential (compact JWS, ES256) in the browser, the steps of
   assessments/certificates/offline.py: the key named by the header's kid (its thumbprint:
   the key URL's last segment, or after "#" in older tokens) in the JWKS, the signature
   (WebCrypto ECDSA P-256), the JWT claims against the credential, then its bit in the
   Bitstring Status List (gzip, DecompressionStream), whose own signature is checked with the
   same keys. The files come from the form, else from the site. */
(function () {
  "use strict";

  function fail(status) {
    const error = new Error(status);
    error.status = status;
    return error;
  }

  function bytes(segment) {
    const base64 = segment.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    let binary;
    try {
      binary = atob(padded);
    } catch (error) {
      throw fail("malformed");
    }
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  }

  function json(segment) {
    try {
      return JSON.parse(new TextDecoder().decode(bytes(segment)));
    } catch (error) {
      throw fail("malformed");
    }
  }

  // offline.key_id: the key URL's last segment, or the thumbprint after "#" (older tokens).
  function keyId(kid) {
    const text = String(kid || "");
    if (text.includes("#")) return text.split("#").pop();
    return text.split("/").pop().replace(/\.json$/, "");
  }

  async function verifiedPayload(token, jwks) {
    const parts = token.trim().split(".");
    if (parts.length !== 3) throw fail("malformed");
    const header = json(parts[0]);
    if (header.alg !== "ES256") throw fail("malformed");
    const kid = keyId(header.kid);
    const jwk = (jwks.keys || []).find((key) => key.kid === kid);
    if (!jwk) throw fail("unknown-key");
    const key = await crypto.subtle.importKey(
      "jwk", { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
      { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    const signed = new TextEncoder().encode(parts[0] + "." + parts[1]);
    const ok = await crypto.subtle.verify(
      { name: "ECDSA", hash: "SHA-256" }, key, bytes(parts[2]), signed);
    if (!ok) throw fail("invalid-signature");
    return json(parts[1]);
  }

  function checkClaims(payload) {
    const issuer = payload.issuer && payload.issuer.id ? payload.issuer.id : payload.issuer;
    const subject = payload.credentialSubject || {};
    const validFrom = Date.parse(payload.validFrom) / 1000;
    if (payload.iss !== issuer || payload.jti !== payload.id || payload.sub !== subject.id
        || payload.nbf !== validFrom || payload.nbf > Date.now() / 1000) {
      throw fail("malformed");
    }
  }

  async function gunzip(data) {
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function isRevoked(entry, listToken, jwks) {
    const list = await verifiedPayload(listToken, jwks);
    const subject = list.credentialSubject || {};
    if (list.id !== entry.statusListCredential || subject.statusPurpose !== entry.statusPurpose
        || !String(subject.encodedList || "").startsWith("u")) {
      throw fail("unchecked");
    }
    const bits = await gunzip(bytes(subject.encodedList.slice(1)));
    const position = Number.parseInt(entry.statusListIndex, 10);
    if (!(position >= 0 && position < bits.length * 8)) throw fail("malformed");
    return (bits[Math.floor(position / 8)] & (0x80 >> (position % 8))) !== 0;
  }

  async function readFile(input) {
    return input.files && input.files[0] ? input.files[0].text() : null;
  }

  async function fetchText(url) {
    // Never the browser's copy: a revocation must show as soon as the site publishes it.
    const response = await fetch(url, { credentials: "omit", cache: "no-cache" });
    if (!response.ok) throw new Error(String(response.status));
    return response.text();
  }

  async function check(form) {
    const token = (await readFile(form.querySelector("#credential-file")))
      || form.querySelector("#credential-text").value;
    let jwksText = await readFile(form.querySelector("#jwks-file"));
    if (!jwksText) {
      try {
        jwksText = await fetchText(form.dataset.jwksUrl);
      } catch (error) {
        throw fail("no-keys");
      }
    }
    let jwks;
    try {
      jwks = JSON.parse(jwksText);
    } catch (error) {
      throw fail("no-keys");
    }
    const payload = await verifiedPayload(token || "", jwks);
    checkClaims(payload);
    const entry = payload.credentialStatus;
    if (!entry) return { status: "valid", payload };
    let listToken = await readFile(form.querySelector("#status-file"));
    if (!listToken) {
      try {
        listToken = await fetchText(entry.statusListCredential);
      } catch (error) {
        return { status: "unchecked", payload };
      }
    }
    const revoked = await isRevoked(entry, listToken, jwks);
    return { status: revoked ? "revoked" : "valid", payload };
  }

  function show(form, status, payload) {
    const result = document.getElementById("offline-result");
    const key = status.replace(/-([a-z])/g, (_, ch) => ch.toUpperCase());
    result.hidden = false;
    result.dataset.status = status;
    result.className = "verify-card " + (status === "valid" ? "verify-card--valid"
      : status === "revoked" ? "verify-card--revoked" : "verify-card--unknown");
    result.querySelector(".verify-status").textContent =
      form.dataset["msg" + key.charAt(0).toUpperCase() + key.slice(1)] || status;
    const subject = payload && payload.credentialSubject;
    result.querySelector('[data-field="name"]').textContent = payload ? payload.name || "" : "";
    result.querySelector('[data-field="issuer"]').textContent =
      payload && payload.issuer ? payload.issuer.name || "" : "";
    result.querySelector(".verify-facts").hidden = !(payload && subject);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("offline-check");
    if (!form) return;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const outcome = await check(form);
        show(form, outcome.status, outcome.payload);
      } catch (error) {
        show(form, error.status || "malformed", null);
      }
    });
  });
})();
