# 控制台自己的用语（简体中文）。每个键都与 ../en/core.ftl 中的一一对应。
language-name = 中文
language-switch = 语言
time-zone = 时区
nav-my-products = 我的商品
nav-drafts = 草稿箱
nav-my-applications = 我的申请
nav-services-support = 服务与支持
state-in-review = 审核中
state-listed = 已上架
action-save = 保存
action-submit = 提交
action-sign-out = 退出登录
products-count = { $n } 个商品
