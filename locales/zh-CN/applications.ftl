# 我的申请（商家的申请列表、申请详情、撤回与删除）及消息中心的提示。每个键都在 ../en/applications.ftl 中有对应。
apps-title = 我的申请
apps-lead = 您提交审核的所有申请，按提交时间由新到旧排列。平台运营将在 3 个工作日内完成审核。
apps-tabs-label = 状态
apps-tab-all = 全部
apps-filter-type = 申请类型
apps-filter-all-types = 全部类型
apps-filter-apply = 筛选
apps-empty = 没有符合条件的申请。
apps-table-caption = 您的申请
apps-col-type = 申请类型
apps-col-subject = 申请对象
apps-col-status = 状态
apps-col-submitted = 提交时间
apps-col-due = 截止日期
apps-col-latest-comment = 最新审核意见
apps-overdue = 已超期
apps-may-take-longer = 审核可能延长
apps-pager-label = 分页
apps-pager-prev = 上一页
apps-pager-next = 下一页
apps-pager = 第 { $page } / { $pages } 页（共 { $total } 条申请）
# 申请详情
apps-detail-title = 申请 #{ $id }
apps-back = ← 我的申请
apps-submitted = 提交时间
apps-decision-due = 审核截止日期
apps-may-take-longer-detail = 当天提交的商品发布申请达到 10 个或以上，审核时间可能延长。
apps-reason = 驳回原因
apps-reviewer-comment = 审核意见
apps-fields-to-fix = 需修改的字段
apps-fix-resubmit = 修改并重新提交
apps-view-product = 查看商品
apps-withdraw = 撤回
apps-delete = 删除
apps-what-submitted = 您提交的内容
apps-removal-heading = 申请下架的内容
apps-removal-target = 下架对象
apps-removal-reason = 下架原因
apps-removal-files = 证明材料
apps-removal-no-files = 无
apps-removal-final = 审核通过后不可撤销。
# 商家看到的时间线中每一步的操作方。
apps-actor-operations = 平台运营
apps-actor-seller = 商家
apps-actor-system = 系统
# 撤回与删除
apps-confirm-subject = { $kind } #{ $id }：{ $subject }
apps-cancel = 取消
apps-delete-heading = 确定删除申请 #{ $id }？
apps-delete-explanation = 删除后该申请将不再显示在您的列表中，平台运营仍会保留其记录。
apps-delete-button = 删除申请
apps-withdraw-heading = 确定撤回申请 #{ $id }？
apps-withdraw-explanation = 撤回后平台运营将停止审核。相关商品将退回草稿箱，您可以稍后重新提交。
apps-withdraw-button = 撤回申请
apps-flash-withdrawn = 申请 #{ $id } 已撤回。
apps-flash-deleted = 申请 #{ $id } 已删除。
apps-error-not-deletable = 申请 #{ $id } 当前状态为“{ $status }”：只能删除已驳回或已撤回的申请。
apps-error-not-withdrawable = 申请 #{ $id } 当前状态为“{ $status }”，已无法撤回。
# 句中的申请状态。
apps-status-in-sentence-pending = 待审核
apps-status-in-sentence-in_review = 审核中
apps-status-in-sentence-approved = 已通过
apps-status-in-sentence-rejected = 已驳回
apps-status-in-sentence-withdrawn = 已撤回
# 消息中心
apps-messages-none-unread = 没有未读消息。
apps-messages-marked-read = 已将 { $n } 条消息标记为已读。
