#!/usr/bin/env bash
# One-shot setup for the local ELK stack: waits for Elasticsearch, then (idempotently)
#  - sets the kibana_system password,
#  - creates role xiaoyu_logs_writer + user logstash_writer (Logstash output),
#  - creates role xiaoyu_app + user xiaoyu_app (the server's shipper and its log search API).
# The index template and ILM policy are installed by the server itself at start (ElasticsearchClient).
set -euo pipefail

ES="${ELASTICSEARCH_URL:-http://elasticsearch:9200}"
PREFIX="${LOG_INDEX_PREFIX:-xiaoyu-ai}"
AUTH="elastic:${ELASTIC_PASSWORD:?}"

es() { # method path [json]
  local method="$1" path="$2" body="${3:-}"
  local out status
  out="$(curl -s -o /tmp/es.out -w '%{http_code}' -u "$AUTH" -X "$method" "$ES$path" -H 'Content-Type: application/json' ${body:+-d "$body"})"
  status="$out"
  if [[ "$status" -lt 200 || "$status" -ge 300 ]]; then
    echo "setup: $method $path -> HTTP $status: $(cat /tmp/es.out)" >&2
    return 1
  fi
}

echo "setup: waiting for Elasticsearch at $ES"
for _ in $(seq 1 120); do
  if curl -s -u "$AUTH" "$ES/_cluster/health" | grep -qE '"status":"(green|yellow)"'; then break; fi
  sleep 2
done

echo "setup: kibana_system password"
es POST /_security/user/kibana_system/_password "{\"password\":\"${KIBANA_SYSTEM_PASSWORD:?}\"}"

echo "setup: role xiaoyu_logs_writer and user logstash_writer"
es PUT /_security/role/xiaoyu_logs_writer "{
  \"cluster\": [\"monitor\", \"manage_index_templates\", \"manage_ilm\"],
  \"indices\": [{ \"names\": [\"${PREFIX}-logs-*\"], \"privileges\": [\"create_doc\", \"create_index\", \"auto_configure\", \"view_index_metadata\"] }]
}"
es PUT /_security/user/logstash_writer "{
  \"password\": \"${LOGSTASH_WRITER_PASSWORD:?}\",
  \"roles\": [\"xiaoyu_logs_writer\"],
  \"full_name\": \"Logstash output for xiaoyu-ai logs\"
}"

echo "setup: role xiaoyu_app and user xiaoyu_app"
es PUT /_security/role/xiaoyu_app "{
  \"cluster\": [\"monitor\", \"manage_index_templates\", \"manage_ilm\"],
  \"indices\": [{ \"names\": [\"${PREFIX}-logs-*\"], \"privileges\": [\"create_doc\", \"create_index\", \"auto_configure\", \"view_index_metadata\", \"read\"] }]
}"
es PUT /_security/user/xiaoyu_app "{
  \"password\": \"${XIAOYU_APP_PASSWORD:?}\",
  \"roles\": [\"xiaoyu_app\"],
  \"full_name\": \"xiaoyu-ai server (log shipper and log search)\"
}"

echo "setup: done"
