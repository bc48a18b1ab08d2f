# 登录、注册、退出登录与密码（简体中文）。每个键都与 ../en/auth.ftl 中的一一对应。
auth-email = 邮箱
auth-password = 密码
# 登录
auth-sign-in-title = 登录
auth-sign-in-button = 登录
auth-new-here = 还没有账号？
auth-create-account-link = 立即注册
auth-wrong-credentials = 邮箱或密码不正确。
auth-refused-network = 您所在网络的登录失败次数过多，请 { $minutes } 分钟后再试。
auth-refused-account = 该账号在未曾登录过的浏览器上登录失败次数过多，请 { $minutes } 分钟后再试。
# 退出登录
auth-sign-out-title = 退出登录
auth-sign-out-question = 确定要在此浏览器上退出商家控制台吗？
auth-sign-out-button = 退出登录
auth-stay-signed-in = 保持登录
# 修改密码
auth-password-title = 修改密码
auth-password-intro = 修改密码后，您在其他设备和浏览器上的登录都将失效。
auth-current-password = 当前密码
auth-new-password = 新密码
auth-repeat-new-password = 确认新密码
auth-password-hint = 至少 { $min } 个字符。
auth-password-button = 修改密码
auth-current-password-wrong = 当前密码不正确。
auth-passwords-differ = 两次输入的密码不一致。
auth-password-too-short = 密码至少需要 { $min } 个字符。
auth-password-too-long = 密码最多 { $max } 个字符。
auth-password-changed = 密码已修改，其他会话均已退出登录。
# 注册
auth-signup-title = 注册
auth-signup-heading = 注册商家账号
auth-signup-intro = 注册完成后，请先完成商家入驻，即可在云商店发布商品。
auth-repeat-password = 确认密码
auth-signup-button = 注册
auth-have-account = 已有账号？
auth-sign-in-link = 登录
auth-email-invalid = 请输入有效的邮箱地址。
auth-signup-throttled = 您所在网络在过去一小时内注册次数过多，请稍后再试。
# 注册：邮件已发送
auth-sent-title = 请查收邮件
auth-sent-text = 我们已向您填写的邮箱发送了一封邮件。请在 24 小时内打开邮件中的链接，完成账号注册。
# “……或使用正确的邮箱<a>重新注册</a>……”：链接前后的文字。
auth-sent-help-before = 几分钟后仍未收到？请检查垃圾邮件箱，或使用正确的邮箱
auth-sent-help-link = 重新注册
auth-sent-help-after = 。如果该邮箱已有账号，邮件中会说明并附上登录链接。
# 注册：邮件中的链接
auth-confirm-title = 确认您的账号
# “要为 <strong>邮箱</strong> 创建商家账号吗？”：邮箱前后的文字。
auth-confirm-before = 要为{" "}
auth-confirm-after = {" "}创建商家账号吗？
auth-confirm-button = 创建我的账号
auth-link-broken-title = 此链接无效
# “……请<a>重新注册</a>以获取新链接；如果账号已存在，请直接<a>登录</a>。”：两个链接前后的文字。
auth-link-broken-before = 链接可能已过期、已被使用，或未完整复制。请
auth-link-broken-signup = 重新注册
auth-link-broken-middle = 以获取新链接；如果账号已存在，请直接
auth-link-broken-signin = 登录
auth-link-broken-after = 。
auth-welcome = 欢迎！请完成商家入驻后发布商品；在此期间您可以先准备商品草稿。
auth-signup-buyer-heading = 注册买家账号
auth-signup-buyer-intro = 购买云商店的商品，并随时查看您的订单。
auth-signup-as-buyer = 想购买商品？注册买家账号
