# 存储的通知（消息中心、时间线、历史）与邮件，以及各类申请的审核字段。
field-legal_name = 公司法定名称
field-contact_name = 联系人姓名
field-contact_phone = 联系人电话
field-contact_email = 联系人邮箱
field-presales_phone = 售前咨询电话
field-presales_email = 售前咨询邮箱
field-presales_address = 联系地址
field-country_region = 国家或地区
field-licence_number = 营业执照注册号
field-tax_number = 税务登记号
field-bank_name = 开户银行
field-bank_account_name = 银行账户名
field-bank_account_number = 银行账号
field-other = 其他
word-yes = 是
word-no = 否
# 系统写入的时间线步骤。
event-submitted = 已提交
event-claimed = 已认领审核
event-withdrawn-by-seller = 商家已撤回
event-detail-last-spec-removed = 最后一个显示中的规格已下架
# 消息中心：审核结果。
notice-outcome-approved = 已通过
notice-outcome-rejected = 已驳回
notice-decision-title = { $kind } #{ $id } { $outcome }：{ $subject }
notice-comment-line = 审核意见：{ $reason }
notice-reason-line = 驳回原因：{ $reason }
notice-in-force = 变更已生效。
notice-fields-line = 需修改的字段：{ $fields }
# 邮件。
mail-hello = 您好：
mail-label-sep = {"："}
mail-decision-subject = 申请 #{ $id } { $outcome }：{ $kind } - { $subject }
mail-decision-opening = 您的{ $kind }申请 #{ $id }（{ $subject }）{ $outcome }。
mail-comment-label = 审核意见
mail-reason-label = 驳回原因
mail-fields-label = 需修改的字段
mail-fields-intro-end = ：
mail-in-force = 变更已生效。
mail-fix-and-resubmit = 您可以修改申请后重新提交。
mail-view-label = 查看申请
mail-view-application = 查看申请 #{ $id }
mail-signup-subject = 请确认您的商家控制台账号
mail-signup-asked = 有人（希望是您本人）申请为 { $email } 创建商家控制台账号。
mail-signup-open-link = 请在 24 小时内打开以下链接完成确认：
mail-signup-confirm-button = 确认并创建账号
mail-signup-not-you = 如果不是您本人操作，请忽略此邮件，账号不会被创建。
mail-exists-subject = 您已拥有商家控制台账号
mail-exists-tried = 有人（希望是您本人）尝试为 { $email } 创建商家控制台账号，但该邮箱已注册。
mail-exists-sign-in-here = {"请在此登录："}
mail-exists-sign-in = 登录
mail-exists-forgot = 如果忘记密码，请联系云商店运营团队为您重置。
mail-exists-forgot-after-link = 。如果忘记密码，请联系云商店运营团队为您重置。
mail-exists-not-you = 如果不是您本人操作，请忽略此邮件，账号信息没有任何变化。
# 消息中心页面。
messages-title = 消息中心
messages-filter = 筛选
messages-all = 全部
messages-unread = 未读
messages-mark-all-read = 全部标记为已读
messages-none-unread = 没有未读消息。
messages-none = 暂无消息。您的申请审核结果会显示在这里。
messages-open-application = 查看申请
messages-mark-read = 标记为已读
# 分页与时间线。
pager-label = 分页
pager-previous = 上一页
pager-next = 下一页
messages-pager = 第 { $page } / { $pages } 页（共 { $total } 条消息）
timeline-title = 时间线
ops-retry-not-failed = 消息 #{ $id } 的状态为“{ $status ->
        [queued] 排队中
        [sending] 发送中
        [sent] 已发送
       *[failed] 发送失败
    }”，只有发送失败的消息才能重试。
history-who-staff = { $email }（运营）
history-who-system = 系统
