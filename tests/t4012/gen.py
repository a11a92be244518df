#!/usr/bin/env python3
# gen.py — writes t4012/attack.log and t4012/canaries (hand-written cases,
# made-up values): python3 gen.py DIR.  Edit the cases here, run it, and
# commit the three files together.
import json, base64, sys
out = []; can = []
T = "2026-11-17T04:%02d:%02d.125Z"
n = [0]
def rec(cid, prof, canaries, raw=None, **kw):
    i = n[0]; n[0] += 1
    ev = {"severity": "INFO", "time": T % (i // 60, i % 60),
          "meta.root_namespace": "acme-corp", "correlation_id": cid}
    ev.update(kw)
    line = json.dumps(ev, separators=(",", ":"), ensure_ascii=False)
    if raw is not None:
        line = line[:-1] + "," + raw + "}"
    out.append(line)
    for c in ([canaries] if isinstance(canaries, str) else canaries):
        can.append("%s %s %s" % (cid, prof, c))
def b64at(prefix, body, a, tail=b""):
    return base64.b64encode(b"xyz"[:a] + prefix + body + tail).decode()
# 1, 2: tokens: base64 at three alignments, case, separators, encodings
body = b"Zq7Wm3Rt9Kp2Xv5Nb8Lc4Hd6Jf1Gs0Ay9Ee3"
for a, p in ((0, b"ghp_"), (1, b"gho_"), (2, b"ghs_"), (1, b"ghr_"), (1, b"ghu_")):
    s = b64at(p, body, a, b" more text")
    rec("r00%d" % (a + 1 if p != b"ghr_" and p != b"ghu_" else 4 + (p == b"ghu_")),
        "scl", s[8:24], message="config blob " + s)
for i, (a, p) in enumerate(((1, b"glpat-"), (2, b"glrt-"), (1, b"xoxb-"), (1, b"AKIA"), (2, b"sk-proj-"), (1, b"npm_"), (2, b"dckr_pat_"))):
    s = b64at(p, b"Qw8Er4Ty6Ui2Op0As3Df5Gh7Jk9", a)
    rec("r01%d" % i, "scl", s[8:22], message="b64 " + s)
rec("r020", "scl", "QZXC7VBN3MASDF9GHJKL", message="pasted GLPAT-QZXC7VBN3MASDF9GHJKL in chat")
rec("r021", "scl", "wq8ErT6yU2iO0pA4sD", message="token Glpat-wq8ErT6yU2iO0pA4sD")
rec("r022", "scl", "MK4NJ8BHV2GCF6XDR0ZSE3AW9QP1LOIUYTRE7W", message="GHP_MK4NJ8BHV2GCF6XDR0ZSE3AW9QP1LOIUYTRE7W")
rec("r023", "scl", "Kd8Lm2Np4Qr6St0Uv", message="slack XOXB-1234567890-Kd8Lm2Np4Qr6St0Uv")
rec("r024", "scl", "mN3bV5cX7zL9kJ1hG2fD", message="{:token=>\"gloas-mN3bV5cX7zL9kJ1hG2fD\"}")
rec("r025", "scl", "Pq4Rs6Tu8Vw0Xy2Za", message="agent\tglagent-Pq4Rs6Tu8Vw0Xy2Za\tconnected")
rec("r026", "scl", "Yh7Uj9Ik1Ol3Pm5Nb7Vc", message="sa glsoat-Yh7Uj9Ik1Ol3Pm5Nb7Vc")
rec("r027", "scl", "Aa1Bb2Cc3Dd4Ee5Ff6Gg", message="runner \\u0047R1348941Aa1Bb2Cc3Dd4Ee5Ff6Gg")
rec("r028", "scl", "Fd9Tk3Qp7Lm2Wx5Rv8N", path="/dashboard/issues.atom", params=[{"key": "feed_token", "value": "Fd9Tk3Qp7Lm2Wx5Rv8N"}])
rec("r029", "scl", "Hj6Kl8Zx0Cv2Bn4Mq", message="curl -H 'JOB-TOKEN: glcbt-64_Hj6Kl8Zx0Cv2Bn4Mq'")
rec("r030", "scl", "t6Yu8Io0Pa2Sd", message="export TOKEN=glpat-Ek4R\\\n  t6Yu8Io0Pa2Sd")
rec("r031", "scl", "Wv3Xb5Nm7Qs9Df1Gh", message="glpat-Wv3Xb5Nm7Q\\u0073\\u0039Df1Gh")
rec("r032", "scl", "Ru5Ti7Yo9Pl1Kj3Hg", message="glpat%252DRu5Ti7Yo9Pl1Kj3Hg double")
rec("r033", "scl", "Bq2Wn4Em6Rt8Yu0Io", message="glpat&#45;Bq2Wn4Em6Rt8Yu0Io entity")
rec("r034", "scl", "rk_live_51HxQ8mW2xZ7R4pL9vN3tYbHc", message="stripe rk_live_51HxQ8mW2xZ7R4pL9vN3tYbHc")
rec("r035", "scl", "npm_Zt5Xw7Yv9Ub1Tc3Sd5Re7Qf9Pg1Oh3Ni5Mj7", message="//registry.npmjs.org/:_authToken=npm_Zt5Xw7Yv9Ub1Tc3Sd5Re7Qf9Pg1Oh3Ni5Mj7")
rec("r036", "scl", "AgEIcHlwaS5vcmcCJDk2Y2ZhNjg0", message="twine pypi-AgEIcHlwaS5vcmcCJDk2Y2ZhNjg0LWI3ZTUtNGE2")
rec("r037", "scl", "SKa1b2c3d4e5f60718293a4b5c6d7e8f90", message="twilio SKa1b2c3d4e5f60718293a4b5c6d7e8f90")
rec("r038", "scl", "Xq9WmN3vL8kJ2hG6fD4sA1.Pz7Ox5Iy3Ut1Re9Wq8En6Tm4Rb2Vc", message="SG.Xq9WmN3vL8kJ2hG6fD4sA1.Pz7Ox5Iy3Ut1Re9Wq8En6Tm4Rb2Vc")
rec("r039", "scl", "0a1b2c3d4e5f60718293a4b5c6d7e8f9", message="shop 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")
rec("r040", "scl", "CAESIQk3Ml9xR2Vh8Tb4Np6Wq", message="VAULT_TOKEN hvs.CAESIQk3Ml9xR2Vh8Tb4Np6Wq")
rec("r041", "scl", "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5", message="databricks dapia0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5")
rec("r042", "scl", "Tx4Vb6Nm8Qw0Er2Ty4Ui6Op8As0Df2Gh4", message="OPENAI_API_KEY sk-proj-Tx4Vb6Nm8Qw0Er2Ty4Ui6Op8As0Df2Gh4")
rec("r043", "scl", "Lk9Jh7Gf5Ds3Az1Xc9Vb7Nm5Qw3Er1Ty", message="sk-ant-api03-Lk9Jh7Gf5Ds3Az1Xc9Vb7Nm5Qw3Er1Ty-AA")
rec("r044", "scl", "QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi", message="HF 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")
rec("r045", "scl", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", message=json.dumps({"type": "service_account", "project_id": "p", "private_key_id": "k", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"}))
rec("r046", "scl", ["ASIAQW2ER4TY6UI8OP0A", "Vq9Wm3Xz7Lp2Kj5Hg8Fd4Sa1Zx6Cv0Bn"], message="AccessKeyId=ASIAQW2ER4TY6UI8OP0A SecretAccessKey=Vq9Wm3Xz7Lp2Kj5Hg8Fd4Sa1Zx6Cv0Bn")
rec("r047", "scl", "Jz8Kx6Lw4Mv2Nu0Ot", message="DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Jz8Kx6Lw4Mv2Nu0Ot+Ps/Qr==;EndpointSuffix=core.windows.net")
rec("r048", "scl", "9f8e7d6c5b4a3928170f6e5d4c3b2a1909f8e7d6c5b4a3928170f6e5d4c3b2a1", message="dop_v1_9f8e7d6c5b4a3928170f6e5d4c3b2a1909f8e7d6c5b4a3928170f6e5d4c3b2a1")
rec("r049", "scl", "4c3b2a1909f8e7d6c5b4a3928170f6e5", message="mailgun key-4c3b2a1909f8e7d6c5b4a3928170f6e5")
rec("r050", "scl", "Zq1Xw2Ce3Vr4Bt5Ny6Mu7", message="https://api.example.com/cb?state=x&code=Zq1Xw2Ce3Vr4Bt5Ny6Mu7")
rec("r051", "scl", "T00000000/B00000000/Xq9WmN3vL8kJ2hG6", message="hook https://HOOKS.SLACK.COM/services/T00000000/B00000000/Xq9WmN3vL8kJ2hG6fD4s")
rec("r052", "scl", "Pm3Qn5Ro7Sp9Tq1Ur3Vs", message="XAPP-1-Pm3Qn5Ro7Sp9Tq1Ur3Vs")
rec("r053", "scl", "HRKU-AAQ8mW2xZ7R4pL9v", message="heroku HRKU-AAQ8mW2xZ7R4pL9vN3tYbHcJdaQ8mW2xZ7R4pL9vN3tYbHcJdaQ8mW2xZ7R4")
# 3, 7: values after names
rec("r060", "scl", "Sunny Day Canary", message="the password is \"Sunny Day Canary\"")
rec("r061", "scl", "PwShortCanary", message="db_pw=PwShortCanary host=db")
rec("r062", "scl", "TabSepCanary", message="password\t:\tTabSepCanary")
rec("r063", "scl", "ArrowCanary", message="{password => 'ArrowCanary'}")
rec("r064", "scl", "PctEqCanary", message="passwd%3DPctEqCanary%26x%3D1")
rec("r065", "scl", "DockerAuthCanaryZ", raw='"auths":{"registry.example.com":{"auth":"DockerAuthCanaryZ"}}')
rec("r066", "scl", "493817", raw='"otp_code":"493817"')
rec("r067", "scl", "RecoveryCanary1", raw='"recovery_codes":["RecoveryCanary1"]')
rec("r068", "scl", "XmlPwCanary", message="<user><Password type=\"text\">XmlPwCanary</Password></user>")
rec("r069", "scl", "YamlKeyCanary", message="secret_key_base: YamlKeyCanary")
rec("r070", "scl", "UPPERPWCANARY", message="PASSWORD=UPPERPWCANARY")
rec("r071", "scl", "ColonTokCanary", message="X-Gitlab-Token:ColonTokCanary")
# 4: userinfo
rec("r080", "scl", "NoSchemeCanary", message="mongo admin:NoSchemeCanary@db1.example.com:27017/app")
rec("r081", "scl", "Pct%3ACanary", message="https://deploy:Pct%3ACanary@gitlab.example.com/acme-corp/web.git")
rec("r082", "scl", "SshPwCanary", message="ssh://git:SshPwCanary@gitlab.example.com:2222/acme-corp/web.git")
# 5: keys
rec("r090", "scl", "b3BlbnNzaC1rZXktdjEAAAAA", message="-----begin openssh private key-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n-----end openssh private key-----", note="kept")
rec("r091", "scl", "AAAAB3NzaC1yc2EAAAADAQAB", raw='"lines":["PuTTY-User-Key-File-3: ssh-rsa","Encryption: none","Private-Lines: 1","AAAAB3NzaC1yc2EAAAADAQAB","Private-MAC: 00ff"]')
# 8: addresses
rec("r100", "sc", "0300.0250.0.1", message="connect http://0300.0250.0.1/")
rec("r101", "sc", "0xC0.0xA8.0x00.0x02", message="peer 0xC0.0xA8.0x00.0x02")
rec("r102", "sc", "198.51.100.", message="peer [::ffff:198.51.100.14]:8443")
rec("r103", "sc", "fe80::1ff:fe23:4567:890a", message="iface fe80::1ff:fe23:4567:890a%eth0 up")
rec("r104", "sc", "2001:db8:85a3::8a2e:370:7334", message="x-forwarded-for: unknown,2001:db8:85a3::8a2e:370:7334")
rec("r105", "sc", "203.0.113.", message="host 203-0-113-45.static.example.net")
rec("r106", "sc", "198.51.100.", message="ptr 45.100.51.198.in-addr.arpa x 198.51.100.45")
rec("r107", "sc", "192.0.2.", message="ip=192%2E0%2E2%2E66")
rec("r108", "sc", "2001:0DB8", message="addr=2001:0DB8:0:0:8:800:200C:417A/64")
# 9: email
rec("r110", "sc", "kim.lee", message="write to kim.lee(at)example.com")
rec("r111", "sc", "joe.blow", message="contact joe.blow [at] example [dot] org")
rec("r112", "sc", "sam.ray", message="mail sam.ray AT example DOT net")
rec("r113", "sc", "fw.user", message="fw.user\uff20example.com")
rec("r114", "sc", "pct2.user", message="pct2.user%2540example.com")
rec("r115", "sc", "ent.user", message="ent.user&#64;example.com")
rec("r116", "sc", "esc.user", message="esc.user\\u0040example.com")
rec("r117", "sc", "brace.user", message="brace.user{at}example{dot}io")
# 10: user ids
rec("r120", "sc", "771177", raw='"target_type":"User","target_id":771177,"target_details":"x"')
rec("r121", "sc", "772277", message="GET /api/v4/users/772277/impersonation_tokens")
rec("r122", "sc", "773377", raw='"created_by_id":773377')
rec("r123", "sc", "774477", path="/-/user_settings?user_id=774477")
rec("r124", "sc", "775577", message="/admin/users/775577/impersonate")
# 11: names
rec("r130", "sc", "xerxes42", raw='"meta.user":"xerxes42","message":"XERXES42 logged in"')
rec("r131", "sc", "quill7", raw='"committer_username":"quill7","message":"by quill7"')
# 12: tenants
rec("r140", "sc", "zenith-labs", path="/zenith-labs/core/-/merge_requests/3")
rec("r141", "sc", "zenith-labs", message="git@gitlab.example.com:zenith-labs/core.git")
rec("r142", "sc", "zenith-labs", path="/api/v4/projects/zenith-labs%2Fcore/repository/tree")
rec("r143", "sc", "zenith-labs", path="/api/v4/projects/zenith-labs%252Fcore")
rec("r144", "sc", "zenith-labs", path="/users/sign_in", message="redirect_to=%2Fzenith-labs%2Fcore")
rec("r145", "sc", "zenith-labs", raw='"namespace_path":"zenith-labs"')
rec("r146", "sc", "zenith-labs", raw='"full_path":"zenith-labs/core"')
rec("r147", "sc", "Zenith-Labs", path="/Zenith-Labs/Core.git/info/refs")
rec("r148", "sc", "zenith-labs", message="ssh://git@gitlab.example.com:2222/zenith-labs/core.git")
rec("r149", "sc", "zenith-labs", raw='"target_details":{"path":"zenith-labs/core","name":"x"}')
rec("r150", "sc", "zenith-labs", raw='"referer":"https://gitlab.example.com/groups/zenith-labs/-/issues"')
rec("r151", "sc", "zenith-labs", path="/api/v4/groups/zenith-labs/members")
rec("r152", "sc", "zenith-labs", message="moved project from zenith-labs to acme-corp")
rec("r153", "sc", "zenith-labs", message="https://gitlab.example.com/zenith-labs./core")
rec("r154", "sc", "zenith-labs", message="see acme-corp/web/../../zenith-labs/core")
rec("r155", "sc", "zenith-labs", path="/acme-corp/web/-/forks/new", message="x", raw='"params":[{"key":"namespace_path","value":"zenith-labs"}]')
# 13: incoming email
rec("r170", "scl", "9q8w7e6r5t4y3u2i1o0p", message="mailto:INCOMING+acme-corp-web-42-9q8w7e6r5t4y3u2i1o0p-issue@mail.example.com")
rec("r171", "scl", "a1s2d3f4g5h6j7k8l9z0", message="incoming%2Bacme-corp-web-42-a1s2d3f4g5h6j7k8l9z0-issue%40mail.example.com")

rec("r054", "scl", "A0ARrdaM8Qw2Er4Ty6Ui8Op", message="token ya29.A0ARrdaM8Qw2Er4Ty6Ui8Op")
rec("r055", "scl", "Qw2Er4Ty6Ui8Op0As2Df4", message="client_id=x GOCSPX-Qw2Er4Ty6Ui8Op0As2Df4")
rec("r056", "scl", "Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8Lz0Xc2Vb4Nm6Qw8E", message="XAI_KEY xai-Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8Lz0Xc2Vb4Nm6Qw8E")
rec("r057", "scl", ["1-Uu7Yy5Tt3Rr1Ee9Ww", "Cc2Vv4Bb6Nn8Mm0Ll"], message="xoxe.xoxp-1-Uu7Yy5Tt3Rr1Ee9Ww and xoxc-Cc2Vv4Bb6Nn8Mm0Ll")
rec("r059", "scl", "Gg4Hh6Jj8K", message="glpat-Gg4Hh6Jj8K%0D%0Ak0Ll2Zz")
rec("r072", "scl", "Quoted Secret Here", message="the secret was 'Quoted Secret Here' then")
rec("r073", "scl", "dXNlcjpEb2NrZXJQd0NhbmFyeQ==", message='{"auths":{"r.example.com":{"auth":"dXNlcjpEb2NrZXJQd0NhbmFyeQ=="}}}')
rec("r074", "scl", "HashRocketPin1", raw='"credentials":{"pin":"HashRocketPin1"}')
rec("r109", "sc", "cb00:7109", message="mapped ::ffff:cb00:7109 hex")
rec("r125", "sc", ["bob7", "bob7.x@example.com"], username="bob7", message="alice and bob7", user_email="bob7.x@example.com")
rec("r126", "sc", "776677", message="set author_id: 776677 on import")
rec("r127", "sc", "778877", path="/acme-corp/web/-/issues?assignee_ids%5B%5D=778877&state=opened")
rec("r156", "sc", "zenith-labs", path="/v2/zenith-labs/core/manifests/latest")
rec("r157", "sc", "zenith-labs", path="/api/v4/namespaces/zenith-labs/exists")
rec("r158", "sc", "zenith-labs", path="/jwt/auth", raw='"params":[{"key":"scope","value":"repository:zenith-labs/core:pull"}]')
rec("r159", "sc", "zenith-labs", message="pushed to gitlab.example.com:zenith-labs/core.git")
rec("r160", "sc", "umbrella-x", message="Transfer failed: namespace_path=umbrella-x")
rec("r161", "sc", "initech-y", message="query { group(fullPath: \"initech-y\") { id } }")
rec("r162", "sc", "hooli-z", message="{\"group\"=>\"hooli-z\", \"visibility\"=>\"private\"}")

rec("r075", "scl", ["Hunter2Walrus", "WalrusTwo", "WalrusThree"], message="PASSWORD := Hunter2Walrus; secret -> WalrusTwo; token == 'WalrusThree'")
rec("r076", "scl", ["SignInCanary9", "ExpCanary8"], message="Cookie: known_sign_in=SignInCanary9; experimentation_subject_id=ExpCanary8")
rec("r077", "scl", "PhraseCanary7", message="pass_phrase=PhraseCanary7")
rec("r092", "scl", "BgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7", message="key MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7 body")
rec("r093", "scl", "486578436f6e74656e7443616e617279", message="hex 676c7061742d486578436f6e74656e7443616e617279 end")
rec("r094", "scl", "4865784361736543616e61727930", message="HEX 676C7061742D4865784361736543616E61727930")
rec("r128", "sc", "779977", message="assignee gid://gitlab/User/779977 set")

rec("r078", "scl", ["MyCanary1", "SshCanary2", "RedisCanary3", "CurlCanary4"], message="mysql -h db -u root -pMyCanary1 app; sshpass -p SshCanary2 ssh h; redis-cli -h r -a RedisCanary3 ping; curl -u deploy:CurlCanary4 https://x")
rec("r079", "scl", "CodeCanary5", message="https://app.example.com/cb#code=CodeCanary5&state=1")

rec("r085", "scl", ["Zw5Sp7Ca9Na1Ry3X", "Rt4Yu6Io8Pa0Sd2Fg4Hj6Kl8Zx0Cv2Bn4Mq6We8Rt"], message="glpat-\u200bZw5Sp7Ca9Na1Ry3X and gh\u00adp_Rt4Yu6Io8Pa0Sd2Fg4Hj6Kl8Zx0Cv2Bn4Mq6We8Rt")
rec("r118", "sc", "zw.user", message="zw.user\u200b@example.com")

rec("r163", "sc", "zenith-labs", message="see acme-corp\\..\\zenith-labs\\core")
rec("r164", "sc", "Zenith-Labs", message="Referer: https://gitlab.example.com/Zenith-Labs./core")
rec("r165", "sc", "zenith-labs", path="/acme-corp%2F..%2Fzenith-labs%2Fcore")
rec("r166", "sc", "zenith-labs", path="/acme-corp/web/-/../../../zenith-labs/core")
rec("r167", "sc", "zenith-labs", message="[link](https://gitlab.example.com/zenith-labs/core) and <a href=\"/zenith-labs/core\">x</a>")
rec("r119", "sc", ["10-20-30-40", "10-20-30-41"], message="host ip-10-20-30-40 and IP-10-20-30-41:8080")

rec("r086", "scl", "Xe5Sc7Ap9Ed1Hx3Q", message="inspect: \"glpat\\x2dXe5Sc7Ap9Ed1Hx3Q\"")
rec("r129", "sc", "xesc.user", message="\"xesc.user\\x40example.com\"")
# 17: one value
with open(sys.argv[1] + "/attack.log", "w") as f:
    f.write("\n".join(out) + "\n")
with open(sys.argv[1] + "/canaries", "w") as f:
    f.write("\n".join(can) + "\n")
