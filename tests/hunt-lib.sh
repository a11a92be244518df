# hunt-lib.sh — hand-written GitLab log lines for the ldhunt tests.
#
# audit TIME USER IP EVENT [MESSAGE [TARGET]] — one line of
# gitlab-rails/audit_json.log in its newer shape (GitLab's docs, "Audit
# event types" and the log system's audit_json.log example); the id is a
# checksum of time, user and event, so that two events never share one.
audit() {
	audit_id=$(printf %s "$1$2$4" | cksum | cut -d" " -f1)
	printf '{"severity":"INFO","time":"%s","id":%d,"author_id":%d,"author_name":"%s","entity_id":7,"entity_type":"User","entity_path":"%s","target_id":7,"target_type":"User","target_details":"%s","ip_address":"%s","event_name":"%s","author_class":"User","custom_message":"%s","created_at":"%s"}\n' \
		"$1" "$audit_id" "$(printf %s "$2" | cksum | cut -c1-4)" "$2" "$2" \
		"${6:-$2}" "$3" "$4" "${5:-$4}" "$1"
}

# rails TIME USER IP CONTROLLER ACTION PATH [STATUS] — one line of
# gitlab-rails/production_json.log (REFERENCE shape).
rails() {
	printf '{"method":"GET","path":"%s","format":"html","controller":"%s","action":"%s","status":%s,"time":"%s","remote_ip":"%s","user_id":42,"username":"%s","meta.user":"%s","correlation_id":"01HX%s"}\n' \
		"$6" "$4" "$5" "${7:-200}" "$1" "$3" "$2" "$2" "$(printf %s "$1$6" | cksum | cut -d" " -f1)"
}

# api TIME USER IP ROUTE PATH PROJECT — one line of api_json.log.
api() {
	printf '{"time":"%s","severity":"INFO","method":"GET","path":"%s","route":"%s","status":200,"remote_ip":"%s","user_id":42,"username":"%s","meta.user":"%s","meta.project":"%s","meta.root_namespace":"%s","correlation_id":"01HY%s"}\n' \
		"$1" "$5" "$4" "$3" "$2" "$2" "$6" "${6%%/*}" "$(printf %s "$1$5" | cksum | cut -d" " -f1)"
}

# fired FILE — the ids of the rules in the hunt members of FILE, sorted
# and unique.
fired() {
	sed -n 's/.*,"hunt":\[\(.*\)\],"ev":.*/\1/p' "$1" |
	grep -o '"id":"[^"]*"' | sed 's/"id":"\(.*\)"/\1/' | sort -u
}
