/*
 * A Java 17 integration that logs in with the OAuth 2.0 JWT Bearer flow, as one is written against
 * Salesforce: nothing in it knows of sfjwt but the variables it reads. Run it as a single source file
 * (no javac step, no libraries):
 *
 *   java JwtLogin.java [LOGIN-OR-URL …]
 *
 * It reads SFJWT_CONSUMER_KEY, SFJWT_USERNAME and SFJWT_KEY_FILE (an unencrypted PKCS#8 PEM key,
 * "BEGIN PRIVATE KEY"); JWT_ISS, JWT_SUB and JWT_AUD, when set, take their place as iss, sub and aud
 * (aud is https://login.salesforce.com otherwise). The assertion ({"alg":"RS256"}, iss, sub, aud, exp =
 * now + 180 s, SHA256withRSA) is posted to https://login.salesforce.com/services/oauth2/token with
 * java.net.http.HttpClient and it prints
 *
 *   token <status> <instance_url>        then, with the access token, GETs
 *   limits <status>                      <instance_url>/services/data/v60.0/limits
 *   token <status> <error>: <error_description>   when the login fails
 *
 * With no arguments it logs in once. Each argument is one login, its claims overridden by
 * comma-separated name=value pairs (iss=…,sub=…,aud=…; an empty argument logs in as configured), or
 * an https:// (or http://) URL, fetched with a GET through HttpsURLConnection: `get <url> <status>`,
 * or `get <url> failed: <exception>` when it cannot be reached. The exit code is 0 once every step has run.
 */

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class JwtLogin {
    static final String TOKEN_URL = "https://login.salesforce.com/services/oauth2/token";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        PrivateKey key = readPkcs8(Path.of(env("SFJWT_KEY_FILE")));
        Map<String, String> configured = new HashMap<>();
        configured.put("iss", System.getenv().getOrDefault("JWT_ISS", env("SFJWT_CONSUMER_KEY")));
        configured.put("sub", System.getenv().getOrDefault("JWT_SUB", env("SFJWT_USERNAME")));
        configured.put("aud", System.getenv().getOrDefault("JWT_AUD", "https://login.salesforce.com"));
        String[] steps = args.length == 0 ? new String[] {""} : args;
        for (String step : steps) {
            if (step.startsWith("https://") || step.startsWith("http://")) {
                get(step);
            } else {
                Map<String, String> claims = new HashMap<>(configured);
                for (String pair : step.split(",")) {
                    if (pair.isEmpty()) continue;
                    int eq = pair.indexOf('=');
                    if (eq < 1) throw new IllegalArgumentException("not name=value: " + pair);
                    claims.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                login(key, claims);
            }
        }
    }

    static void login(PrivateKey key, Map<String, String> claims) throws Exception {
        long exp = System.currentTimeMillis() / 1000 + 180;
        String payload = "{\"iss\":" + quote(claims.get("iss")) + ",\"sub\":" + quote(claims.get("sub")) + ",\"aud\":" + quote(claims.get("aud")) + ",\"exp\":" + exp + "}";
        String input = base64url("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "." + base64url(payload.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(input.getBytes(StandardCharsets.US_ASCII));
        String assertion = input + "." + base64url(rsa.sign());
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8) + "&assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8);
        HttpResponse<String> token = HTTP.send(
            HttpRequest.newBuilder(URI.create(TOKEN_URL)).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
            HttpResponse.BodyHandlers.ofString());
        String body = token.body();
        if (token.statusCode() != 200) {
            System.out.println("token " + token.statusCode() + " " + field(body, "error") + ": " + field(body, "error_description"));
            return;
        }
        String instance = field(body, "instance_url");
        System.out.println("token " + token.statusCode() + " " + instance);
        HttpResponse<String> limits = HTTP.send(
            HttpRequest.newBuilder(URI.create(instance + "/services/data/v60.0/limits")).header("Authorization", "Bearer " + field(body, "access_token")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        System.out.println("limits " + limits.statusCode());
    }

    /** A GET with HttpsURLConnection (HttpURLConnection for http://), as older integrations make their calls. */
    static void get(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            System.out.println("get " + url + " " + c.getResponseCode());
            c.disconnect();
        } catch (IOException e) {
            System.out.println("get " + url + " failed: " + e.getClass().getName());
        }
    }

    /** The key of a PEM "PRIVATE KEY" block (PKCS#8, unencrypted). */
    static PrivateKey readPkcs8(Path file) throws Exception {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----").matcher(pem);
        if (!m.find()) throw new IllegalArgumentException(file + " holds no PEM \"BEGIN PRIVATE KEY\" block (PKCS#8)");
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** A string field of a flat JSON object, unescaped; "" when the body has none. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) return "";
        String raw = m.group(1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e); // \" \\ \/
            }
        }
        return out.toString();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) throw new IllegalStateException(name + " is not set");
        return v;
    }
}
