// The names of Ansible's modules, so that a task naming one pgha lacks is told "pgha does not have it"
// (a warning in a file only a dynamic include reaches, such as another OS's setup file) rather than taken
// for a misspelling of a module pgha has (pkgng is not a misspelt ping, nor rpm_key of apt_key).
// Taken from ansible-core 2.14: its own modules, and the short names its routing table
// (config/ansible_builtin_runtime.yml) sends to the collections that manage Linux hosts
// (community.general, ansible.posix, community.crypto, community.postgresql, community.mysql, community.docker).

/** ansible-core's own modules (ansible.builtin). */
const BUILTIN = `
  add_host apt apt_key apt_repository assemble assert async_status async_wrapper blockinfile command copy cron debconf
  debug dnf dpkg_selections expect fail fetch file find gather_facts get_url getent git group group_by hostname
  import_playbook import_role import_tasks include_role include_tasks include_vars iptables known_hosts lineinfile
  meta package package_facts pause ping pip raw reboot replace rpm_key script service service_facts set_fact set_stats
  setup shell slurp stat subversion systemd systemd_service sysvinit tempfile template unarchive uri user
  validate_argument_spec wait_for wait_for_connection yum yum_repository
`

/** Short names Ansible still resolves, routed to a collection (pkgng is community.general.pkgng). */
const ROUTED = `
  acl acme_account acme_account_facts acme_account_info acme_certificate acme_certificate_revoke
  acme_challenge_cert_helper acme_inspect aerospike_migrations airbrake_deployment aix_devices aix_filesystem
  aix_inittab aix_lvg aix_lvol ali_instance ali_instance_facts ali_instance_info alternatives apache2_mod_proxy
  apache2_module apk apt_repo apt_rpm archive at atomic_container atomic_host atomic_image authorized_key awall beadm
  bearychat bigpanda bitbucket_access_key bitbucket_pipeline_key_pair bitbucket_pipeline_known_host
  bitbucket_pipeline_variable bower bundler bzr campfire capabilities catapult certificate_complete_chain
  circonus_annotation cisco_spark clc_aa_policy clc_alert_policy clc_blueprint_package clc_firewall_policy clc_group
  clc_loadbalancer clc_modify_server clc_publicip clc_server clc_server_snapshot cloud_init_data_facts cloudflare_dns
  cobbler_sync cobbler_system composer consul consul_acl consul_kv consul_session cpanm cronvar crypttab datadog_event
  datadog_monitor dconf deploy_helper dimensiondata_network dimensiondata_vlan django_manage dnsimple dnsmadeeasy
  docker_compose docker_config docker_container docker_container_info docker_host_info docker_image docker_image_facts
  docker_image_info docker_login docker_network docker_network_info docker_node docker_node_info docker_prune
  docker_secret docker_service docker_stack docker_swarm docker_swarm_info docker_swarm_service
  docker_swarm_service_info docker_volume docker_volume_info easy_install ecs_certificate ecs_domain ejabberd_user
  elasticsearch_plugin emc_vnx_sg_member etcd3 facter filesystem firewalld flatpak flatpak_remote flowdock foreman
  gcdns_record gcdns_zone gce gconftool2 gcp_backend_service gcp_forwarding_rule gcp_healthcheck gcp_target_proxy
  gcp_url_map gcpubsub_facts gcspanner gem get_certificate git_config github_deploy_key github_hooks github_issue
  github_key github_release github_webhook github_webhook_facts github_webhook_info gitlab_deploy_key gitlab_group
  gitlab_hook gitlab_hooks gitlab_project gitlab_project_variable gitlab_runner gitlab_user grove gunicorn haproxy
  helm heroku_collaborator hg hipchat homebrew homebrew_cask homebrew_tap honeybadger_deployment hpilo_boot
  hpilo_facts hpilo_info hponcfg htpasswd hwc_ecs_instance hwc_evs_disk hwc_network_vpc hwc_smn_topic hwc_vpc_eip
  hwc_vpc_peering_connect hwc_vpc_port hwc_vpc_private_ip hwc_vpc_route hwc_vpc_security_group
  hwc_vpc_security_group_rule hwc_vpc_subnet ibm_sa_domain ibm_sa_host ibm_sa_host_ports ibm_sa_pool ibm_sa_vol
  ibm_sa_vol_map icinga2_feature icinga2_host idrac_redfish_command idrac_redfish_config idrac_redfish_facts
  idrac_redfish_info imc_rest imgadm infinity influxdb_database influxdb_query influxdb_retention_policy influxdb_user
  influxdb_write ini_file installp interfaces_file ip_netns ipa_config ipa_dnsrecord ipa_dnszone ipa_group
  ipa_hbacrule ipa_host ipa_hostgroup ipa_role ipa_service ipa_subca ipa_sudocmd ipa_sudocmdgroup ipa_sudorule
  ipa_user ipa_vault ipify_facts ipinfoio_facts ipmi_boot ipmi_power ipwcli_dns irc iso_extract jabber java_cert
  java_keystore jboss jenkins_job jenkins_job_facts jenkins_job_info jenkins_plugin jenkins_script jira katello
  kernel_blacklist keycloak_client keycloak_clienttemplate keycloak_group kibana_plugin layman lbu ldap_attr
  ldap_attrs ldap_entry ldap_passwd librato_annotation linode linode_v4 listen_ports_facts lldp locale_gen logentries
  logentries_msg logicmonitor logicmonitor_facts logstash_plugin luks_device lvg lvol lxc_container lxca_cmms
  lxca_nodes lxd_container lxd_profile macports mail make manageiq_alert_profiles manageiq_alerts manageiq_group
  manageiq_policies manageiq_provider manageiq_tags manageiq_tenant manageiq_user mas matrix mattermost maven_artifact
  memset_dns_reload memset_memstore_facts memset_memstore_info memset_server_facts memset_server_info memset_zone
  memset_zone_domain memset_zone_record mksysb modprobe monit mount mqtt mssql_db mysql_db mysql_info mysql_query
  mysql_replication mysql_user mysql_variables na_cdot_aggregate na_cdot_license na_cdot_lun na_cdot_qtree na_cdot_svm
  na_cdot_user na_cdot_user_role na_cdot_volume na_ontap_gather_facts nagios netcup_dns newrelic_deployment nexmo
  nginx_status_facts nginx_status_info nictagadm nios_a_record nios_aaaa_record nios_cname_record nios_dns_view
  nios_fixed_address nios_host_record nios_member nios_mx_record nios_naptr_record nios_network nios_network_view
  nios_nsgroup nios_ptr_record nios_srv_record nios_txt_record nios_zone nmcli nosh npm nsupdate oci_vcn
  office_365_connector_card ohai omapi_host one_host one_image one_image_facts one_image_info one_service one_vm
  oneandone_firewall_policy oneandone_load_balancer oneandone_monitoring_policy oneandone_private_network
  oneandone_public_ip oneandone_server onepassword_facts onepassword_info oneview_datacenter_facts
  oneview_datacenter_info oneview_enclosure_facts oneview_enclosure_info oneview_ethernet_network
  oneview_ethernet_network_facts oneview_ethernet_network_info oneview_fc_network oneview_fc_network_facts
  oneview_fc_network_info oneview_fcoe_network oneview_fcoe_network_facts oneview_fcoe_network_info
  oneview_logical_interconnect_group oneview_logical_interconnect_group_facts oneview_logical_interconnect_group_info
  oneview_network_set oneview_network_set_facts oneview_network_set_info oneview_san_manager oneview_san_manager_facts
  oneview_san_manager_info online_server_facts online_server_info online_user_facts online_user_info open_iscsi
  openbsd_pkg opendj_backendprop openssh_cert openssh_keypair openssl_certificate openssl_certificate_info openssl_csr
  openssl_csr_info openssl_dhparam openssl_pkcs12 openssl_privatekey openssl_privatekey_info openssl_publickey
  openwrt_init opkg osx_defaults osx_say ovh_ip_failover ovh_ip_loadbalancing_backend ovh_monthly_billing ovirt
  ovirt_affinity_label_facts ovirt_api_facts ovirt_cluster_facts ovirt_datacenter_facts ovirt_disk_facts
  ovirt_event_facts ovirt_external_provider_facts ovirt_group_facts ovirt_host_facts ovirt_host_storage_facts
  ovirt_network_facts ovirt_nic_facts ovirt_permission_facts ovirt_quota_facts ovirt_scheduling_policy_facts
  ovirt_snapshot_facts ovirt_storage_domain_facts ovirt_storage_template_facts ovirt_storage_vm_facts ovirt_tag_facts
  ovirt_template_facts ovirt_user_facts ovirt_vm_facts ovirt_vmpool_facts pacemaker_cluster packet_device
  packet_ip_subnet packet_project packet_sshkey packet_volume packet_volume_attachment pacman pagerduty
  pagerduty_alert pam_limits pamd parted patch pear pids pingdom pip_package_info pkg5 pkg5_publisher pkgin pkgng
  pkgutil portage portinstall postgresql_copy postgresql_db postgresql_ext postgresql_idx postgresql_info
  postgresql_lang postgresql_membership postgresql_owner postgresql_pg_hba postgresql_ping postgresql_privs
  postgresql_publication postgresql_query postgresql_schema postgresql_sequence postgresql_set postgresql_slot
  postgresql_subscription postgresql_table postgresql_tablespace postgresql_user postgresql_user_obj_stat_info
  profitbricks profitbricks_datacenter profitbricks_nic profitbricks_volume profitbricks_volume_attachments proxmox
  proxmox_kvm proxmox_template pubnub_blocks pulp_repo puppet purefa_facts purefb_facts pushbullet pushover
  python_requirements_facts python_requirements_info rax rax_cbs rax_cbs_attachments rax_cdb rax_cdb_database
  rax_cdb_user rax_clb rax_clb_nodes rax_clb_ssl rax_dns rax_dns_record rax_facts rax_files rax_files_objects
  rax_identity rax_keypair rax_meta rax_mon_alarm rax_mon_check rax_mon_entity rax_mon_notification
  rax_mon_notification_plan rax_network rax_queue rax_scaling_group rax_scaling_policy read_csv redfish_command
  redfish_config redfish_facts redfish_info redhat_subscription redis rhevm rhn_channel rhn_register rhsm_release
  rhsm_repository riak rocketchat rollbar_deployment rundeck_acl_policy rundeck_project runit say scaleway_compute
  scaleway_image_facts scaleway_image_info scaleway_ip scaleway_ip_facts scaleway_ip_info scaleway_lb
  scaleway_organization_facts scaleway_organization_info scaleway_security_group scaleway_security_group_facts
  scaleway_security_group_info scaleway_security_group_rule scaleway_server_facts scaleway_server_info
  scaleway_snapshot_facts scaleway_snapshot_info scaleway_sshkey scaleway_user_data scaleway_volume
  scaleway_volume_facts scaleway_volume_info seboolean sefcontext selinux selinux_permissive selogin sendgrid
  sensu_check sensu_client sensu_handler sensu_silence sensu_subscription seport serverless sf_account_manager
  sf_check_connections sf_snapshot_schedule_manager sf_volume_access_group_manager sf_volume_manager sl_vm slack
  slackpkg smartos_image_facts smartos_image_info snap snmp_facts solaris_zone sorcery spectrum_device
  spotinst_aws_elastigroup ss_3par_cpg stackdriver stacki_host statusio_maintenance supervisorctl svc svr4pkg swdepot
  swupd synchronize sysctl syslogger syspatch taiga_issue telegram terraform timezone twilio typetalk udm_dns_record
  udm_dns_zone udm_group udm_share udm_user ufw uptimerobot urpmi utm_aaa_group utm_aaa_group_info
  utm_ca_host_key_cert utm_ca_host_key_cert_info utm_dns_host utm_network_interface_address
  utm_network_interface_address_info utm_proxy_auth_profile utm_proxy_exception utm_proxy_frontend
  utm_proxy_frontend_info utm_proxy_location utm_proxy_location_info vdo vertica_configuration vertica_facts
  vertica_info vertica_role vertica_schema vertica_user vexata_eg vexata_volume vmadm wakeonlan webfaction_app
  webfaction_db webfaction_domain webfaction_mailbox webfaction_site x509_crl x509_crl_info xattr xbps xenserver_facts
  xenserver_guest xenserver_guest_facts xenserver_guest_info xenserver_guest_powerstate xfconf xfs_quota xml yarn zfs
  zfs_delegate_admin zfs_facts znode zpool_facts zypper zypper_repository
`

const NAMES = new Set([...BUILTIN.split(/\s+/), ...ROUTED.split(/\s+/)].filter((n) => n !== ''))

/** A module's short name (`pkgng`, the last part of `community.general.pkgng`) is one Ansible has. */
export function isAnsibleModule(shortName: string): boolean {
  return NAMES.has(shortName)
}
