# bench/scope.jq — the stock exact pipeline's filter: a JSON log line is
# printed when it belongs to tenant $ns (by whole path segments, without
# regard to case) and its time lies in [$since, $until).
#
#   jq -R -r --arg ns T --arg since S --arg until U -f scope.jq
#
# $since and $until are "YYYY-MM-DDTHH:MM:SS" in UTC.  The format of a line
# is found from its keys, in the order and with the fields of
# lib/format/formats/*.json, so that the answer can be compared with ldgrep's.
# What jq cannot easily do is left out, and the answer may differ there:
# percent-escapes other than %2F in API paths, times with an offset other
# than Z or +00:00, epoch times in microseconds.

def val($k):
  (if has($k) then .[$k] else (try getpath($k | split(".")) catch null) end)
  | if type == "string" then (if . == "" then null else . end)
    elif type == "number" or type == "boolean" then tostring
    else null end;
def seg1: if . == null then null
  else split("/")[0] | if . == "" then null else . end end;
def reserved: ["-", "api", "users", "admin", "help", "assets", "oauth",
  "dashboard", "explore", "search", "uploads", "import", "profile", "groups",
  "projects", ".well-known", "jwt", "v2", "favicon.ico", "robots.txt"];
def urlns: if . == null then null else
  sub("[?#].*$"; "")
  | (if test("://") then (sub("^.*?://[^/]*"; "")) else . end)
  | sub("^/+"; "")
  | if test("^api/v4/(projects|groups)/") then
      sub("^api/v4/(projects|groups)/"; "") | split("/")[0]
      | gsub("%2[Ff]"; "/")
      | if test("^[0-9]*$") then null else split("/")[0] end
    else split("/")[0]
      | if . == "" or (ascii_downcase as $s | reserved | index($s)) then null
        else . end
    end end;
def covers($t):
  . != null and (ascii_downcase | . == $t or startswith($t + "/"));

# [ns, project, time fields] of a line, by format.
def fields:
  if has("route") and has("time") then		# gitlab.api
    [(val("meta.root_namespace") // (val("meta.project") | seg1)
      // (val("path") | urlns)), val("meta.project"), ["time"]]
  elif has("author_id") and has("entity_type") and has("time") then	# audit
    [((val("entity_path") | seg1) // (val("target_details") | seg1)),
     val("entity_path"), ["time", "created_at"]]
  elif has("event_type") and has("created_at") and has("entity_type") then
    [((val("entity_path") | seg1) // (val("details.entity_path") | seg1)),
     (val("entity_path") // val("details.entity_path")), ["created_at"]]
  elif has("message") and has("env") and has("remote_ip") and has("time") then
    [(val("meta.root_namespace") // (val("path") | urlns)),
     val("meta.project"), ["time"]]
  elif has("grpc.method") and has("time") then	# gitaly
    [(val("grpc.request.glProjectPath") | seg1),
     val("grpc.request.glProjectPath"), ["time"]]
  elif has("controller") and has("action") and has("time") then	# rails
    [(val("meta.root_namespace") // (val("meta.project") | seg1)),
     val("meta.project"), ["time"]]
  elif has("gl_project_path") and has("time") then	# shell
    [(val("gl_project_path") | seg1), val("gl_project_path"), ["time"]]
  elif has("class") and has("jid") and has("time") then	# sidekiq
    [(val("meta.root_namespace") // (val("meta.project") | seg1)),
     val("meta.project"), ["time", "completed_at", "enqueued_at", "created_at"]]
  elif has("uri") and has("remote_addr") and has("time") then	# workhorse
    [(val("uri") | urlns), null, ["time"]]
  elif has("severity") and has("message") and has("time") then	# application
    [(val("meta.root_namespace") // (val("meta.project") | seg1)),
     val("meta.project"), ["time"]]
  else				# json
    [(val("meta.root_namespace") // (val("meta.project") | seg1)
      // (val("entity_path") | seg1) // (val("project_path") | seg1)
      // (val("path") | urlns)),
     (val("meta.project") // val("entity_path") // val("project_path")),
     ["time", "timestamp", "@timestamp", "created_at", "ts"]]
  end;

def intime($tf):
  (first($tf[] as $f | .[$f] | select(. != null)) // null)
  | if type == "string" then
      sub("\\+00:00$"; "Z")
      | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$")
        and .[0:19] >= $since and .[0:19] < $until
    elif type == "number" then
      (if . > 1e11 then . / 1000 else . end) as $s
      | ($since + "Z" | fromdateiso8601) as $a
      | ($until + "Z" | fromdateiso8601) as $b
      | $s >= $a and $s < $b
    else false end;

($ns | ascii_downcase) as $t
| . as $line
| (fromjson? // null)
| select(type == "object")
| fields as [$n, $p, $tf]
| select(($p | covers($t)) or ($n | covers($t)))
| select(intime($tf))
| $line
